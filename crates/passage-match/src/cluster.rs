//! Clusters from scored pairs, without chaining.
//!
//! Single linkage (join whatever one pair links) chains unrelated people through one
//! ambiguous record: A looks like B, B like C, so A, B and C become one person though
//! A and C share nothing. Here two clusters join only when **every** pair across them
//! scores at least the floor (complete linkage), the strongest pairs first. A cluster
//! never grows past [`MAX_CLUSTER`]: nobody is registered that many times, and a
//! bigger group is a data problem for a person to look at.

/// The largest cluster clustering builds.
pub const MAX_CLUSTER: usize = 32;

/// A scored pair of record indices, `a < b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub a: u32,
    pub b: u32,
    pub probability: f64,
}

/// The cluster of each of `n` records (the smallest record index in it), from the
/// pairs at or above `threshold`. `probability(a, b)` scores any pair across two
/// clusters about to join; every one must be at least `floor`.
pub fn cluster(
    n: usize,
    pairs: &[Pair],
    threshold: f64,
    floor: f64,
    probability: impl Fn(u32, u32) -> f64,
) -> Vec<u32> {
    let mut edges: Vec<&Pair> = pairs
        .iter()
        .filter(|p| p.probability >= threshold && p.a != p.b)
        .collect();
    edges.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut root: Vec<u32> = (0..n)
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    let mut members: Vec<Vec<u32>> = root.iter().map(|&i| vec![i]).collect();
    for e in edges {
        let (Some(&ra), Some(&rb)) = (root.get(e.a as usize), root.get(e.b as usize)) else {
            continue;
        };
        if ra == rb {
            continue;
        }
        let (ma, mb) = (&members[ra as usize], &members[rb as usize]);
        if ma.len() + mb.len() > MAX_CLUSTER {
            continue;
        }
        let known = |x: u32, y: u32| (x == e.a && y == e.b) || (x == e.b && y == e.a);
        let joins = ma.iter().all(|&x| {
            mb.iter()
                .all(|&y| known(x, y) || probability(x, y) >= floor)
        });
        if !joins {
            continue;
        }
        let (keep, gone) = if ma.len() >= mb.len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let moved = std::mem::take(&mut members[gone as usize]);
        for &m in &moved {
            root[m as usize] = keep;
        }
        members[keep as usize].extend(moved);
    }
    // Label each cluster by its smallest member.
    let mut label = vec![u32::MAX; n];
    for list in members.iter().filter(|l| !l.is_empty()) {
        let smallest = list.iter().copied().min().unwrap_or(u32::MAX);
        for &m in list {
            label[m as usize] = smallest;
        }
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: u32, b: u32, probability: f64) -> Pair {
        Pair { a, b, probability }
    }

    #[test]
    fn one_ambiguous_record_does_not_chain_two_people() {
        // 0-1 and 1-2 both look alike; 0 and 2 are plainly different people.
        let pairs = [pair(0, 1, 0.99), pair(1, 2, 0.97)];
        let scores = |x: u32, y: u32| {
            if x.min(y) == 0 && x.max(y) == 2 {
                0.01
            } else {
                0.99
            }
        };
        assert_eq!(cluster(3, &pairs, 0.9, 0.5, scores), vec![0, 0, 2]);
        // Single linkage would have joined them: with the floor at 0 it does.
        assert_eq!(cluster(3, &pairs, 0.9, 0.0, scores), vec![0, 0, 0]);
    }

    #[test]
    fn three_registrations_of_one_person_join() {
        let pairs = [pair(0, 1, 0.99), pair(1, 2, 0.98), pair(3, 4, 0.2)];
        let labels = cluster(5, &pairs, 0.9, 0.5, |_, _| 0.8);
        assert_eq!(labels, vec![0, 0, 0, 3, 4]);
    }

    #[test]
    fn clusters_stop_growing() {
        let n = MAX_CLUSTER as u32 + 5;
        let pairs: Vec<Pair> = (1..n).map(|i| pair(0, i, 0.99)).collect();
        let labels = cluster(n as usize, &pairs, 0.9, 0.5, |_, _| 0.99);
        assert_eq!(labels.iter().filter(|&&l| l == 0).count(), MAX_CLUSTER);
    }
}

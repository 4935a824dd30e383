//! The mix of work: what each operation is, how often users do it, and which answers it
//! expects. Reads are 60%, registrations 25% (one in eight of them a person already
//! registered, which the duplicate guard must refuse), screenings and updates 10%,
//! distributions 5%.

use reqwest::StatusCode;

use super::tally::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    PersonRead,
    HouseholdRead,
    NumberLookup,
    NameSearch,
    HouseholdList,
    DuplicateCheck,
    Candidates,
    Dashboard,
    Register,
    RegisterAgain,
    Screening,
    PersonUpdate,
    Distribution,
}

impl Op {
    pub const ALL: [Op; 13] = [
        Op::PersonRead,
        Op::HouseholdRead,
        Op::NumberLookup,
        Op::NameSearch,
        Op::HouseholdList,
        Op::DuplicateCheck,
        Op::Candidates,
        Op::Dashboard,
        Op::Register,
        Op::RegisterAgain,
        Op::Screening,
        Op::PersonUpdate,
        Op::Distribution,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Op::PersonRead => "person read",
            Op::HouseholdRead => "household read",
            Op::NumberLookup => "person by number",
            Op::NameSearch => "search by name",
            Op::HouseholdList => "households of a site",
            Op::DuplicateCheck => "duplicate check",
            Op::Candidates => "candidates of a person",
            Op::Dashboard => "population table",
            Op::Register => "registration",
            Op::RegisterAgain => "registration again",
            Op::Screening => "screening",
            Op::PersonUpdate => "person update",
            Op::Distribution => "distribution",
        }
    }

    /// Percent of the operations a user starts. A person update reads the person first,
    /// so person reads are a little more than their share of the requests.
    fn weight(self) -> u32 {
        match self {
            Op::PersonRead => 14,
            Op::HouseholdRead => 10,
            Op::NumberLookup => 6,
            Op::NameSearch => 10,
            Op::HouseholdList => 4,
            Op::DuplicateCheck => 8,
            Op::Candidates => 5,
            Op::Dashboard => 3,
            Op::Register => 22,
            Op::RegisterAgain => 3,
            Op::Screening => 5,
            Op::PersonUpdate => 5,
            Op::Distribution => 5,
        }
    }

    pub fn pick(rng: &mut fastrand::Rng) -> Op {
        let total: u32 = Op::ALL.iter().map(|op| op.weight()).sum();
        let mut n = rng.u32(..total);
        for op in Op::ALL {
            if n < op.weight() {
                return op;
            }
            n -= op.weight();
        }
        Op::PersonRead
    }

    /// What an answer with `status` means for this operation.
    pub fn outcome(self, status: StatusCode) -> Outcome {
        match (self, status.as_u16()) {
            (Op::Register | Op::Screening, 201) => Outcome::Done,
            (Op::RegisterAgain, 409) => Outcome::Expected("refused as a likely duplicate"),
            (Op::PersonUpdate, 200) => Outcome::Done,
            (Op::PersonUpdate, 409) => Outcome::Expected("refused: version conflict"),
            (Op::Distribution, 201) => Outcome::Done,
            (Op::Distribution, 202) => Outcome::Expected("held for review (a lookalike)"),
            (Op::Distribution, 409) => Outcome::Expected("refused: already given today"),
            (
                Op::PersonRead
                | Op::HouseholdRead
                | Op::NumberLookup
                | Op::NameSearch
                | Op::HouseholdList
                | Op::DuplicateCheck
                | Op::Candidates
                | Op::Dashboard,
                200,
            ) => Outcome::Done,
            (_, s) if s >= 500 => Outcome::Error(format!("server error {status}")),
            _ => Outcome::Error(format!("unexpected {status}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_adds_up_to_a_hundred_percent_in_the_shares_of_the_brief() {
        let share = |ops: &[Op]| ops.iter().map(|op| op.weight()).sum::<u32>();
        assert_eq!(share(&Op::ALL), 100);
        assert_eq!(share(&Op::ALL[..8]), 60, "reads");
        assert_eq!(share(&[Op::Register, Op::RegisterAgain]), 25);
        assert_eq!(share(&[Op::Screening, Op::PersonUpdate]), 10);
        assert_eq!(share(&[Op::Distribution]), 5);
    }

    #[test]
    fn refusals_are_expected_only_where_documented_and_5xx_never() {
        assert_eq!(
            Op::RegisterAgain.outcome(StatusCode::CONFLICT),
            Outcome::Expected("refused as a likely duplicate")
        );
        assert!(matches!(
            Op::Register.outcome(StatusCode::CONFLICT),
            Outcome::Error(_)
        ));
        assert!(matches!(
            Op::RegisterAgain.outcome(StatusCode::CREATED),
            Outcome::Error(_)
        ));
        for op in Op::ALL {
            assert!(matches!(
                op.outcome(StatusCode::SERVICE_UNAVAILABLE),
                Outcome::Error(_)
            ));
        }
    }
}

#!/usr/bin/env python3
"""Seeded synthetic multi-origin registration population with known duplicates.

    generate.py N SEED OUT.csv

Writes N records: id, entity_id (the truth), given_name, family_name,
original_name, sex, dob, dob_estimated, nationality, place_of_origin, document,
phone. About 10% of the records are further registrations of a person already
in the file (some people are registered three times).

People come in households from nine origin groups (Afghan, Syrian, Iraqi,
Rohingya, Burmese/Karen, Bangladeshi, Somali, Eritrean, Vietnamese). Siblings
share a father's and grandfather's name, a family name, a place and a phone;
many people have only a birth year (recorded as 1 January, estimated); name
frequencies are Zipf-like, so unrelated people often share names. That is what
makes field registration data hard, and the generator does not try to make it
easier for any engine.

Each registration renders the person independently: a naming layout (which
parts go to given and family name), transliterations, date format, phone
format, missing fields. A duplicate registration further gets one to four
corruptions drawn from what differs between two registrations of the same
person in practice: another transliteration, a one-character typo, given and
family swapped, a name part dropped or added, a particle or title added or
dropped, original-script name present on one only, year-only / estimated /
day-month-swapped dates, missing sex, nationality, place, document or phone, a
different or mistyped document, a new phone.
"""

import bisect
import os
import random
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import names as T  # noqa: E402

REF_YEAR = 2025
HEADER = ("id,entity_id,given_name,family_name,original_name,sex,dob,dob_estimated,"
          "nationality,place_of_origin,document,phone")


# --- pools -----------------------------------------------------------------

def _variant_cum(n, w=(0.70, 0.16, 0.08, 0.04, 0.02, 0.01, 0.01)):
    w = w[:n]
    out, acc = [], 0.0
    for x in w:
        acc += x
        out.append(acc)
    return out, acc


VARIANT_CUM = [None] + [_variant_cum(n) for n in range(1, 8)]
PLACE_VARIANT_CUM = [None] + [_variant_cum(n, (0.85, 0.1, 0.05, 0.03)) for n in range(1, 5)]


def draw_variant(rng, token, table=VARIANT_CUM):
    cum, total = table[len(token[1])]
    return bisect.bisect(cum, rng.random() * total)


def fold(s):
    """Drop diacritics (Nguyễn -> Nguyen, Đặng -> Dang)."""
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def parse(text):
    """Table lines `NATIVE|Latin/Latin[|sex]` -> tokens (native, variants, has_article)."""
    out = []
    for line in text.strip().splitlines():
        parts = line.split("|")
        latin = parts[1]
        art = latin.startswith("al-:")
        if art:
            latin = latin[4:]
        out.append((parts[0], tuple(latin.split("/")), art))
    return out


class Pool:
    """Tokens drawn with Zipf-like weights (first entries most common)."""

    def __init__(self, tokens, zipf=1.0, weights=None):
        self.tokens = tokens
        w = weights or [1.0 / (i + 1) ** zipf for i in range(len(tokens))]
        self.cum, acc = [], 0.0
        for x in w:
            acc += x
            self.cum.append(acc)
        self.total = acc

    def draw(self, rng):
        return self.tokens[bisect.bisect(self.cum, rng.random() * self.total)]


def vn_pool(words, zipf=1.0, weights=None):
    toks = [(w, (fold(w),), False) for w in words]
    return Pool(toks, zipf, weights)


P = {
    "AFG_M": Pool(parse(T.AFG_MALE), 1.05), "AFG_F": Pool(parse(T.AFG_FEMALE)),
    "AFG_FAM": Pool(parse(T.AFG_FAMILY), 0.8),
    "ARB_M": Pool(parse(T.ARB_MALE), 1.05), "ARB_F": Pool(parse(T.ARB_FEMALE)),
    "ARB_FAM": Pool(parse(T.ARB_FAMILY), 0.8),
    "ROH_M": Pool(parse(T.ROH_MALE), 1.1), "ROH_F": Pool(parse(T.ROH_FEMALE)),
    "ROH_MS": Pool(parse(T.ROH_MALE_SUFFIX)), "ROH_FS": Pool(parse(T.ROH_FEMALE_SUFFIX)),
    "BGD_M": Pool(parse(T.BGD_MALE), 0.9), "BGD_F": Pool(parse(T.BGD_FEMALE)),
    "BGD_SUR": Pool(parse(T.BGD_SURNAME), 0.9), "BGD_FSUR": Pool(parse(T.BGD_FEMALE_SURNAME)),
    "SOM_M": Pool(parse(T.SOM_MALE), 1.0), "SOM_F": Pool(parse(T.SOM_FEMALE)),
    "ERI_M": Pool(parse(T.ERI_MALE), 0.9), "ERI_F": Pool(parse(T.ERI_FEMALE)),
    "VNM_FAM": vn_pool(T.VNM_FAMILY.split(), weights=list(T.VNM_FAMILY_SHARE)),
    "VNM_MID_M": vn_pool(T.VNM_MIDDLE_MALE.split(), 0.0),
    "VNM_MID_F": vn_pool(T.VNM_MIDDLE_FEMALE.split(), 0.0),
    "VNM_M": vn_pool(T.VNM_GIVEN_MALE.split(), 0.8), "VNM_F": vn_pool(T.VNM_GIVEN_FEMALE.split(), 0.8),
}
_syl = [(l.split("|")[0], tuple(l.split("|")[1].split("/")), False, l.split("|")[2])
        for l in T.MMR_SYLLABLES.strip().splitlines()]
P["MMR_M"] = Pool([s[:3] for s in _syl if s[3] in "mn"], 0.6)
P["MMR_F"] = Pool([s[:3] for s in _syl if s[3] in "fn"], 0.6)
PLACES = {k: Pool(parse(v), 1.1) for k, v in T.PLACES.items()}
BGD_MD = parse(T.BGD_PREFIX_MALE)[0]
BGD_MST = parse(T.BGD_PREFIX_FEMALE)[0]
KAREN_SAW = parse(T.MMR_PREFIX_MALE)[0]
KAREN_NAW = parse(T.MMR_PREFIX_FEMALE)[0]
ARTICLE_STYLES = ("al-", "Al-", "Al ", "al ", "El-", "", "Al")
ARTICLE_CUM = [.35, .60, .72, .77, .82, .95, 1.0]

# origin: (weight, nationality, host phone country codes, full-date share,
#          original-script share, household size weights for 1..8)
ORIGINS = {
    "AFG": (0.22, "AFG", ("90", "98", "49", "30", "92"), 0.35, 0.60, (10, 8, 10, 14, 16, 16, 14, 12)),
    "SYR": (0.14, "SYR", ("90", "961", "962", "49"), 0.75, 0.65, (12, 10, 14, 18, 18, 14, 8, 6)),
    "IRQ": (0.07, "IRQ", ("964", "90", "962"), 0.70, 0.65, (10, 10, 14, 16, 18, 14, 10, 8)),
    "ROH": (0.12, "XXA", ("880", "60"), 0.25, 0.20, (6, 8, 12, 16, 18, 16, 12, 12)),
    "MMR": (0.04, "MMR", ("66",), 0.60, 0.55, (20, 16, 18, 18, 14, 8, 4, 2)),
    "BGD": (0.09, "BGD", ("39", "60", "218"), 0.70, 0.45, (60, 14, 10, 8, 4, 2, 1, 1)),
    "SOM": (0.13, "SOM", ("254", "251", "967"), 0.35, 0.0, (30, 8, 10, 12, 12, 12, 8, 8)),
    "ERI": (0.10, "ERI", ("251", "249", "39"), 0.55, 0.55, (55, 12, 10, 8, 6, 4, 3, 2)),
    "VNM": (0.09, "VNM", ("44", "33"), 0.90, 0.40, (70, 12, 8, 5, 3, 1, 1, 0)),
}
ORIGIN_CODES = list(ORIGINS)
ORIGIN_POOL = Pool(ORIGIN_CODES, weights=[ORIGINS[o][0] for o in ORIGIN_CODES])


def pick(rng, weighted):
    """weighted: sequence of (weight, value)."""
    r = rng.random() * sum(w for w, _ in weighted)
    for w, v in weighted:
        r -= w
        if r < 0:
            return v
    return weighted[-1][1]


# --- names -----------------------------------------------------------------

def slot(rng, token):
    return [token, draw_variant(rng, token)]


def male(origin):
    return P[{"IRQ": "ARB", "SYR": "ARB"}.get(origin, origin) + "_M"]


def female(origin):
    return P[{"IRQ": "ARB", "SYR": "ARB"}.get(origin, origin) + "_F"]


def make_name(rng, origin, sex, rel, head, hh):
    """Name parts by role for one household member (rel: head/spouse/child/elder)."""
    given_pool = male(origin) if sex == "M" else female(origin)
    s = {}
    hm = head is not None and head["sex"] == "M"
    if origin in ("AFG", "SYR", "IRQ", "SOM", "ERI"):
        s["given"] = [slot(rng, given_pool.draw(rng))]
        if origin == "AFG" and sex == "M" and rng.random() < 0.12 and s["given"][0][0] is not P["AFG_M"].tokens[0]:
            s["given"].insert(0, slot(rng, P["AFG_M"].tokens[0]))
        if rel == "child" and hm:
            s["father"], s["grand"] = head["slots"]["given"][-1:], head["slots"]["father"]
        elif rel == "elder" and sex == "M":
            s["given"], s["father"] = head["slots"]["father"], head["slots"]["grand"]
            s["grand"] = [slot(rng, male(origin).draw(rng))]
        else:
            s["father"] = [slot(rng, male(origin).draw(rng))]
            s["grand"] = [slot(rng, male(origin).draw(rng))]
        if origin in ("SYR", "IRQ"):
            own = rel == "spouse" or (rel == "child" and not hm)
            s["family"] = [slot(rng, P["ARB_FAM"].draw(rng))] if own else hh["family"]
        elif origin == "AFG":
            s["family"] = hh["family"] if rel != "spouse" or rng.random() < 0.6 else []
    elif origin in ("ROH", "MMR"):
        if origin == "ROH":
            first = P["ROH_M"].tokens[0] if sex == "M" and rng.random() < 0.3 else given_pool.draw(rng)
            toks = [first]
            if rng.random() < (0.6 if sex == "M" else 0.2):
                toks.append(given_pool.draw(rng))
            if rng.random() < (0.35 if sex == "M" else 0.6):
                toks.append((P["ROH_MS"] if sex == "M" else P["ROH_FS"]).draw(rng))
        else:
            n = pick(rng, ((45, 2), (45, 3), (10, 4)))
            toks = [given_pool.draw(rng) for _ in range(n)]
            if hh["karen"]:
                s["pre"] = [slot(rng, KAREN_SAW if sex == "M" else KAREN_NAW)]
        s["name"] = [slot(rng, t) for t in toks]
    elif origin == "BGD":
        if sex == "M":
            if rng.random() < 0.45:
                s["pre"] = [slot(rng, BGD_MD)]
            s["given"] = [slot(rng, given_pool.draw(rng)) for _ in range(1 if rng.random() < 0.85 else 2)]
            keep = rel == "head" or (rel == "child" and hm and rng.random() < 0.6)
            s["surname"] = hh["surname"] if keep else [slot(rng, P["BGD_SUR"].draw(rng))]
        else:
            if rng.random() < 0.25:
                s["pre"] = [slot(rng, BGD_MST)]
            s["given"] = [slot(rng, given_pool.draw(rng))]
            s["surname"] = [slot(rng, P["BGD_FSUR"].draw(rng))] if rng.random() < 0.7 else hh["surname"]
    else:  # VNM
        s["family"] = hh["family"] if rel == "child" and hm or rel == "head" else [slot(rng, P["VNM_FAM"].draw(rng))]
        s["middle"] = [slot(rng, P["VNM_MID_M" if sex == "M" else "VNM_MID_F"].draw(rng))]
        s["given"] = [slot(rng, given_pool.draw(rng))]
    return s


LAYOUTS = {
    # (weight, roles in given_name, roles in family_name)
    "AFG_FAM": ((80, ("given",), ("family",)), (8, ("given",), ("father",)),
                (7, ("given",), ("father", "family")), (5, ("given", "family"), ())),
    "AFG": ((80, ("given",), ("father",)), (8, ("given",), ()),
            (7, ("given", "father"), ()), (5, ("given",), ("father", "grand"))),
    "SYR": ((55, ("given",), ("family",)), (20, ("given",), ("father", "family")),
            (15, ("given",), ("father", "grand", "family")), (5, ("given",), ("father",)),
            (5, ("given", "father"), ("family",))),
    "IRQ": ((30, ("given",), ("family",)), (25, ("given",), ("father", "family")),
            (35, ("given",), ("father", "grand", "family")), (10, ("given",), ("father", "grand"))),
    "ROH": ((50, ("name",), ()), (35, ("name0",), ("name1",)), (15, ("name-1",), ("name-0",))),
    "MMR": ((50, ("pre", "name"), ()), (35, ("pre", "name0"), ("name1",)),
            (15, ("pre", "name-1"), ("name-0",))),
    "BGD": ((60, ("pre", "given"), ("surname",)), (20, ("given",), ("surname",)),
            (12, ("pre", "given", "surname"), ()), (8, ("pre",), ("given", "surname"))),
    "SOM": ((60, ("given",), ("father", "grand")), (30, ("given",), ("father",)),
            (5, ("given", "father", "grand"), ()), (5, ("given", "father"), ("grand",))),
    "VNM": ((55, ("middle", "given"), ("family",)), (30, ("given",), ("family",)),
            (8, ("family",), ("middle", "given")), (7, ("family", "middle", "given"), ())),
}
LAYOUTS["ERI"] = LAYOUTS["SOM"]


def pick_layout(rng, origin, slots):
    key = "AFG_FAM" if origin == "AFG" and slots.get("family") else origin
    return pick(rng, [(w, (g, f)) for w, g, f in LAYOUTS[key]])


def parts(slots, roles):
    out = []
    for r in roles:
        if r.startswith("name"):  # name0 = first part, name1 = the rest, name-1 = all but last...
            n = slots["name"]
            out += {"name": n, "name0": n[:1], "name1": n[1:], "name-1": n[:-1] or n, "name-0": n[-1:] if len(n) > 1 else []}[r]
        else:
            out += slots.get(r, ())
    return out


def latin(reg, sl):
    tok, var = sl
    s = tok[0] if reg["native_latin"] else tok[1][min(var, len(tok[1]) - 1)]
    if tok[2]:
        style = reg["article"]
        s = "Al" + s.lower() if style == "Al" else style + s
    return s


# --- other fields ----------------------------------------------------------

NRC_TOWNSHIPS = (("MaWaTa", "MWT"), ("KaKaYa", "KKY"), ("HpaAnN", "HPN"), ("LaBaNa", "LBN"), ("KaMaYa", "KMY"))


def make_doc(rng, origin, hh, kind=None):
    d = rng.randrange
    if origin == "AFG":
        return f"{d(1396, 1403)}-{d(100, 3000):04d}-{d(100000):05d}" if (kind or d(3)) else f"P{d(10 ** 7):07d}"
    if origin == "SYR":
        return f"{d(1, 15):02d}{d(10 ** 9):09d}" if (kind or d(3)) else f"N{d(10 ** 8):08d}"
    if origin == "IRQ":
        return f"{d(10 ** 11, 10 ** 12)}" if (kind or d(3)) else f"A{d(10 ** 8):08d}"
    if origin == "ROH":
        return f"FCN-{hh['fcn']}"
    if origin == "MMR":
        t = NRC_TOWNSHIPS[d(len(NRC_TOWNSHIPS))][d(2)]
        return f"{d(1, 15)}/{t}(N){d(10 ** 6):06d}"
    if origin == "BGD":
        return f"{d(10 ** 9, 10 ** 10)}" if (kind or d(4)) else f"{d(10 ** 16, 10 ** 17)}"
    if origin == "SOM":
        return f"P{d(10 ** 8):08d}"
    if origin == "ERI":
        return f"{d(10 ** 6, 10 ** 7)}"
    return f"{'BCN'[d(3)]}{d(10 ** 7):07d}" if (kind or d(10) < 7) else f"0{d(10 ** 11):011d}"


DOC_SHARE = {"AFG": .35, "SYR": .5, "IRQ": .5, "ROH": .15, "MMR": .4, "BGD": .6, "SOM": .15, "ERI": .25, "VNM": .7}


def make_person(rng, origin, sex, age, rel, head, hh):
    o = ORIGINS[origin]
    slots = make_name(rng, origin, sex, rel, head, hh)
    year = REF_YEAR - age
    r = rng.random()
    prec = "F" if r < o[3] else ("Y" if r < o[3] + (1 - o[3]) * 0.8 else "E")
    if prec == "E":
        year += rng.choice((-2, -1, 1, 2))
    month = rng.randint(1, 12)
    day = rng.randint(1, 28 if month == 2 else 30)
    adult = age >= 16
    docs = []
    if rng.random() < DOC_SHARE[origin] * (1 if adult else 0.15):
        docs.append(make_doc(rng, origin, hh))
        if adult and rng.random() < 0.08 and origin != "ROH":
            docs.append(make_doc(rng, origin, hh, kind=0))
    if rel == "head":
        phone = hh["phone"] if rng.random() < 0.85 else None
    elif adult:
        r = rng.random()
        phone = hh["phone"] if r < 0.35 else ((hh["phone"][0], new_phone(rng)) if r < 0.6 else None)
    else:
        phone = hh["phone"] if rng.random() < 0.05 else None
    place = hh["place"] if rng.random() < 0.9 else PLACES[origin].draw(rng)
    return {
        "origin": origin, "sex": sex, "slots": slots, "layout": pick_layout(rng, origin, slots),
        "native_latin": origin in ("SOM", "VNM") and rng.random() < (0.3 if origin == "SOM" else 0.35),
        "article": ARTICLE_STYLES[bisect.bisect(ARTICLE_CUM, rng.random())],
        "orig": rng.random() < o[4], "dob": (year, month, day), "prec": prec,
        "nat": hh["nat"], "place": place, "docs": docs, "phone": phone, "caps": False,
        "omit": (),
    }


def new_phone(rng):
    return f"{rng.choice('579')}{rng.randrange(10 ** 8, 10 ** 9)}"


def household(rng, origin):
    o = ORIGINS[origin]
    size = pick(rng, list(zip(o[5], range(1, 9))))
    hh = {
        "place": PLACES[origin].draw(rng), "phone": (rng.choice(o[2]), new_phone(rng)),
        "nat": o[1], "karen": rng.random() < 0.35, "fcn": f"{rng.randrange(10 ** 6):06d}",
    }
    if origin == "ROH" and rng.random() < 0.4:
        hh["nat"] = "MMR"
    if origin in ("SYR", "IRQ"):
        hh["family"] = [slot(rng, P["ARB_FAM"].draw(rng))]
    elif origin == "AFG":
        hh["family"] = [slot(rng, P["AFG_FAM"].draw(rng))] if rng.random() < 0.5 else []
    elif origin == "VNM":
        hh["family"] = [slot(rng, P["VNM_FAM"].draw(rng))]
    elif origin == "BGD":
        hh["surname"] = [slot(rng, P["BGD_SUR"].draw(rng))]
    head_sex = "M" if rng.random() < (0.8 if size > 1 else 0.7) else "F"
    head_age = rng.randint(22, 62) if size > 1 else int(rng.triangular(16, 50, 24))
    head = make_person(rng, origin, head_sex, head_age, "head", None, hh)
    members = [head]
    n_kids = size - 1
    if size > 1 and rng.random() < 0.85:
        sp_sex = "F" if head_sex == "M" else "M"
        members.append(make_person(rng, origin, sp_sex, max(16, head_age + rng.randint(-12, 3)), "spouse", head, hh))
        n_kids -= 1
    if n_kids > 1 and rng.random() < 0.06:
        members.append(make_person(rng, origin, rng.choice("MF"), min(95, head_age + rng.randint(20, 32)), "elder", head, hh))
        n_kids -= 1
    prev = None
    for _ in range(n_kids):
        kid = make_person(rng, origin, rng.choice("MF"), rng.randint(0, max(0, min(head_age - 17, 30))), "child", head, hh)
        if prev is not None and rng.random() < 0.02:  # twins
            kid["dob"], kid["prec"] = prev["dob"], prev["prec"]
        members.append(kid)
        prev = kid
    return members


# --- rendering -------------------------------------------------------------

def render(rng, reg):
    origin = reg["origin"]
    g_roles, f_roles = reg["layout"]
    gp, fp = parts(reg["slots"], g_roles), parts(reg["slots"], f_roles)
    given = " ".join(latin(reg, s) for s in gp)
    family = " ".join(latin(reg, s) for s in fp)
    orig = ""
    if reg["orig"]:
        if origin == "VNM":
            orig = " ".join(s[0][0] for s in parts(reg["slots"], ("family", "middle", "given")))
        else:
            orig = ("" if origin == "MMR" else " ").join(s[0][0] for s in gp + fp)
    omit = reg["omit"]
    y, m, d = reg["dob"]
    if "dob" in omit or rng.random() < 0.02:
        dob, est = "", ""
    elif reg["prec"] == "F":
        dob = f"{d:02d}/{m:02d}/{y}" if rng.random() < 0.08 else f"{y}-{m:02d}-{d:02d}"
        est = "false"
    else:
        dob = f"{y}" if rng.random() < 0.15 else f"{y}-01-01"
        est = "true"
    if est and rng.random() < 0.05:
        est = ""
    sex = "" if "sex" in omit or rng.random() < 0.02 else reg["sex"]
    if sex and rng.random() < 0.06:
        sex = "female" if sex == "F" else "male"
    nat = "" if "nat" in omit or rng.random() < 0.02 else reg["nat"]
    place = ""
    if "place" not in omit and rng.random() > 0.12:
        tok = reg["place"]
        place = tok[1][draw_variant(rng, tok, PLACE_VARIANT_CUM)]
    doc = "" if "doc" in omit else ";".join(reg["docs"])
    phone = ""
    if reg["phone"] and "phone" not in omit:
        cc, num = reg["phone"]
        r = rng.random()
        phone = (f"+{cc}{num}" if r < 0.5 else f"0{num}" if r < 0.75
                 else f"+{cc} {num[:3]} {num[3:6]} {num[6:]}" if r < 0.9 else f"00{cc}{num}")
    if reg["caps"] or rng.random() < 0.12:
        given, family, place = given.upper(), family.upper(), place.upper()
    return [given, family, orig, sex, dob, est, nat, place, doc, phone]


# --- duplicate corruptions -------------------------------------------------

def c_translit(rng, reg):
    if reg["origin"] in ("SOM", "VNM") and rng.random() < 0.6:
        reg["native_latin"] = not reg["native_latin"]
        return
    reg["slots"] = {r: [[t, draw_variant(rng, t) if rng.random() < 0.6 else v] for t, v in sl]
                    for r, sl in reg["slots"].items()}
    reg["article"] = ARTICLE_STYLES[bisect.bisect(ARTICLE_CUM, rng.random())]


def c_layout(rng, reg):
    for _ in range(4):
        lay = pick_layout(rng, reg["origin"], reg["slots"])
        if lay != reg["layout"]:
            reg["layout"] = lay
            return


def c_dob(rng, reg):
    y, m, d = reg["dob"]
    r = rng.random()
    if r < 0.3 and reg["prec"] == "F":
        reg["prec"] = "Y"
    elif r < 0.55:
        reg["dob"], reg["prec"] = (y + rng.choice((-2, -1, -1, 1, 1, 2)), m, d), "E"
    elif r < 0.75 and d <= 12 and d != m and reg["prec"] == "F":
        reg["dob"] = (y, d, m)
    elif r < 0.9:
        reg["omit"] += ("dob",)
    else:
        reg["dob"] = (y, m, max(1, min(28, d + rng.choice((-10, -1, 1, 10)))))


def c_omit(field):
    def op(rng, reg):
        reg["omit"] += (field,)
    return op


def c_sex(rng, reg):
    if rng.random() < 0.8:
        reg["omit"] += ("sex",)
    else:
        reg["sex"] = "F" if reg["sex"] == "M" else "M"


def c_nat(rng, reg):
    if reg["origin"] == "ROH" and rng.random() < 0.5:
        reg["nat"] = "MMR" if reg["nat"] == "XXA" else "XXA"
    else:
        reg["omit"] += ("nat",)


def c_place(rng, reg):
    if rng.random() < 0.6:
        reg["omit"] += ("place",)
    else:
        reg["place"] = PLACES[reg["origin"]].draw(rng)


def c_doc(rng, reg, hh=None):
    r = rng.random()
    if not reg["docs"] or r < 0.4:
        reg["omit"] += ("doc",)
        if not reg["docs"] and r > 0.7:  # a document appears that the other registration lacks
            reg["docs"] = [make_doc(rng, reg["origin"], {"fcn": f"{rng.randrange(10 ** 6):06d}"})]
            reg["omit"] = tuple(x for x in reg["omit"] if x != "doc")
        return
    doc = reg["docs"][0]
    if r < 0.65:
        doc = make_doc(rng, reg["origin"], {"fcn": f"{rng.randrange(10 ** 6):06d}"})
    elif r < 0.8:
        doc = (doc.replace("(N)", "(Naing)") if "(N)" in doc else doc.replace("-", "") if "-" in doc else " ".join(doc[i:i + 4] for i in range(0, len(doc), 4)))
    else:
        digits = [i for i, c in enumerate(doc) if c.isdigit()]
        i = rng.choice(digits)
        doc = doc[:i] + str((int(doc[i]) + rng.randint(1, 9)) % 10) + doc[i + 1:]
    reg["docs"] = [doc] + reg["docs"][1:]


def c_phone(rng, reg):
    if not reg["phone"] or rng.random() < 0.5:
        reg["omit"] += ("phone",)
    else:
        reg["phone"] = (reg["phone"][0], new_phone(rng))


def c_orig(rng, reg):
    reg["orig"] = not reg["orig"] if ORIGINS[reg["origin"]][4] > 0 else reg["orig"]


KEYS = "qwertyuiopasdfghjklzxcvbnm"


def typo(rng, s):
    if not s:
        return s
    if " " in s and rng.random() < 0.12:
        return s.replace(" ", "", 1) if rng.random() < 0.6 else s.replace(" ", "-", 1)
    i = rng.randrange(len(s))
    r = rng.random()
    upper = s.isupper()
    c = rng.choice(KEYS).upper() if upper else rng.choice(KEYS)
    if r < 0.35:
        return s[:i] + c + s[i + 1:]
    if r < 0.6 and len(s) > 3:
        return s[:i] + s[i + 1:]
    if r < 0.8:
        return s[:i] + s[i] + s[i:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s + c


def particle(rng, origin, sex, given, family):
    words = given.split()
    if origin == "AFG":
        if words and words[0].lower() in ("mohammad", "muhammad", "mohammed", "mohamad", "mohd"):
            return " ".join(words[1:]) or given, family
        return ("Haji " if sex == "M" and rng.random() < 0.5 else "Mohammad ") + given, family
    if origin in ("SYR", "IRQ"):
        fw = family.split()
        if fw and rng.random() < 0.5:
            last = fw[-1]
            low = last.lower()
            for p in ("al-", "el-", "al"):
                if low.startswith(p) and len(last) > len(p) + 2:
                    fw[-1] = last[len(p):].capitalize()
                    return given, " ".join(fw)
            fw[-1] = "Al-" + last
            return given, " ".join(fw)
        if not family:
            return given, family
        return given, ("bin " if sex == "M" else "bint ") + family
    if origin in ("ROH", "BGD"):
        if words and words[0].lower().rstrip(".") in ("md", "mohammed", "mohammad", "mst", "most"):
            return " ".join(words[1:]) or given, family
        return ("Md. " if sex == "M" else "Mst. ") + given, family
    if origin == "MMR":
        if words and words[0].lower() in ("saw", "naw"):
            return " ".join(words[1:]) or given, family
        hon = T.MMR_HONORIFIC_MALE if sex == "M" else T.MMR_HONORIFIC_FEMALE
        return rng.choice(hon) + " " + given, family
    if origin == "SOM":
        return given + " " + rng.choice(("Yare", "Dheere", "Gaab", "Cadde", "Madoobe")), family
    return typo(rng, given), family


OPS = [(5, "translit", c_translit), (3, "layout", c_layout), (3, "typo", None), (1.2, "swap", None),
       (1, "particle", None), (2, "orig", c_orig), (4, "dob", c_dob), (0.8, "sex", c_sex),
       (0.8, "nat", c_nat), (1.2, "place", c_place), (2.5, "doc", c_doc), (2, "phone", c_phone)]
OP_CHOICES = [(w, (n, f)) for w, n, f in OPS]


def duplicate(rng, person):
    reg = dict(person)
    n_ops = pick(rng, ((30, 1), (35, 2), (22, 3), (13, 4)))
    post = []
    chosen = []
    for _ in range(n_ops):
        op = pick(rng, OP_CHOICES)
        if op not in chosen:
            chosen.append(op)
    for name, fn in chosen:
        if fn:
            fn(rng, reg)
        else:
            post.append(name)
    row = render(rng, reg)
    for name in post:
        if name == "typo":
            k = 1 if row[1] and rng.random() < 0.5 else 0
            row[k] = typo(rng, row[k])
        elif name == "swap":
            row[0], row[1] = row[1], row[0]
        else:
            row[0], row[1] = particle(rng, reg["origin"], reg["sex"], row[0], row[1])
    return row


# --- main ------------------------------------------------------------------

def generate(n, seed):
    rng = random.Random(seed)
    q = 0.0926  # share of people registered more than once: ~10% of records are duplicates
    lines, pid = [], 0
    while len(lines) < n:
        for person in household(rng, ORIGIN_POOL.draw(rng)):
            pid += 1
            ent = f"P{pid:07d}"
            r = rng.random()
            copies = 3 if r < q * 0.2 else 2 if r < q else 1
            rows = [render(rng, person)] + [duplicate(rng, person) for _ in range(copies - 1)]
            for row in rows:
                lines.append(ent + "," + ",".join(f.replace(",", " ").replace('"', "") for f in row))
    del lines[n:]
    rng.shuffle(lines)
    return lines


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    t0 = time.time()
    lines = generate(n, seed)
    with open(out, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        for i, line in enumerate(lines):
            f.write(f"R{i + 1:07d},{line}\n")
    print(f"generate: {n} records in {time.time() - t0:.1f}s -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""What an ammunition claim counts (its `munitions` basis), and how a claim on one basis speaks
to an estimate on another.

A basis is a set of kinds of round. An estimate for one basis uses a claim of a wider basis only
as a cap (a count of every projectile bounds the tube-artillery rounds from above) and a claim of
a narrower basis only as a floor (155mm rounds are part of all tube-artillery rounds), unless a
sourced breakdown converts it: a source that gives, for one actor, metric and period, both the
estimate's basis and a wider one (3.4 million howitzer shells of about 7 million projectiles)
yields a share that converts the actor's other claims on that wider basis. A claim that does not
say what it counts (`unstated`) is read as the estimate's basis, and the reports say how many do.
"""

from __future__ import annotations

import pandas as pd

LARGE_CALIBRE, OTHER_TUBE = "152/155mm", "other tube calibres"
ROCKETS, MORTARS, DIRECT_FIRE = "rockets", "mortars", "tank and IFV"
BASES: dict[str, frozenset[str]] = {
    "152-155mm": frozenset({LARGE_CALIBRE}),
    "tube": frozenset({LARGE_CALIBRE, OTHER_TUBE}),
    "tube+rockets": frozenset({LARGE_CALIBRE, OTHER_TUBE, ROCKETS}),
    "tube+mortars": frozenset({LARGE_CALIBRE, OTHER_TUBE, MORTARS}),
    "all": frozenset({LARGE_CALIBRE, OTHER_TUBE, ROCKETS, MORTARS, DIRECT_FIRE}),
}
UNSTATED = "unstated"
CHOICES = (*BASES, UNSTATED)
WORDS = {"152-155mm": "152/155mm rounds only", "tube": "tube artillery of all calibres",
         "tube+rockets": "tube artillery and rockets", "tube+mortars": "tube artillery and mortar rounds",
         "all": "projectiles of every type (artillery, rockets, mortars, tank rounds)", UNSTATED: "not stated"}
AMMUNITION_PREFIXES = ("shells_", "charges_")  # metrics whose claims must say what they count


def is_ammunition(metric: pd.Series) -> pd.Series:
    """Whether each metric name is an ammunition metric, whose claims carry a `munitions` basis."""
    return metric.str.startswith(AMMUNITION_PREFIXES)


def relation(munitions: pd.Series, target: str) -> pd.Series:
    """Each claim's basis against `target`: 'same' (or unstated), 'narrower', 'wider' or 'other' (neither)."""
    wanted = BASES[target]

    def one(basis: str) -> str:
        counted = BASES.get(basis, wanted)
        return ("same" if counted == wanted else "narrower" if counted < wanted
                else "wider" if counted > wanted else "other")

    return munitions.map({basis: one(basis) for basis in munitions.unique()})


def breakdowns(claims: pd.DataFrame, target: str) -> pd.DataFrame:
    """The sourced breakdowns to `target`: one row per pair of claims of one source, actor, metric and
    period, one on `target` and one on a wider basis, with the share the first is of the second.
    Columns: actor, metric, munitions (the wider basis), share, part_id, whole_id."""
    kind = relation(claims["munitions"], target)
    if not ((kind == "wider").any() and (claims["munitions"] == target).any()):
        return pd.DataFrame({column: pd.Series(dtype=float if column == "share" else object)
                             for column in ("actor", "metric", "munitions", "share", "part_id", "whole_id")})
    side = claims.assign(_relation=kind)
    key = ["source_id", "actor", "metric", "period_start", "period_end"]
    parts = side[(side["_relation"] == "same") & (side["munitions"] == target)]
    wholes = side[side["_relation"] == "wider"]
    pairs = parts.merge(wholes, on=key, suffixes=("_part", "_whole"))
    pairs = pairs[pairs["canonical_value_whole"] > 0]
    return pd.DataFrame({"actor": pairs["actor"], "metric": pairs["metric"], "munitions": pairs["munitions_whole"],
                         "share": pairs["canonical_value_part"] / pairs["canonical_value_whole"],
                         "part_id": pairs["id_part"], "whole_id": pairs["id_whole"]}).reset_index(drop=True)


def on_basis(claims: pd.DataFrame, target: str, shares: pd.DataFrame) -> pd.DataFrame:
    """The claims as an estimate for `target` reads them, with `coverage` and `bound` saying so:
    a narrower claim becomes a part (a floor, or nothing when it is a cap); a wider one a cap (or
    nothing when it is a floor); a wider one with a breakdown (`shares`, from `breakdowns`) is
    converted (values times the share) and counts as on the basis; the wider half of a breakdown
    counts for nothing beside its own part. Column `munitions_read` says what was done to each."""
    kind = relation(claims["munitions"], target)
    if (kind == "same").all():
        return claims.assign(munitions_read="")
    read = claims.copy()
    read["munitions_read"] = kind.map({"same": "", "narrower": "floor", "wider": "cap", "other": "unused"})
    matched = read[["actor", "metric", "munitions"]].merge(
        shares.groupby(["actor", "metric", "munitions"], as_index=False)["share"].median(),
        how="left", on=["actor", "metric", "munitions"])["share"].to_numpy()
    converted = (kind == "wider").to_numpy() & ~pd.isna(matched) & ~read["id"].isin(shares["whole_id"]).to_numpy()
    for column in ("canonical_value", "canonical_low", "canonical_high"):
        read.loc[converted, column] = read.loc[converted, column] * matched[converted].astype(float)
    read.loc[converted, "munitions_read"] = "converted"
    read.loc[read["id"].isin(shares["whole_id"]), "munitions_read"] = "broken down"
    narrower = read["munitions_read"] == "floor"
    read.loc[narrower, "coverage"] = "partial"
    cap = read["munitions_read"] == "cap"
    read.loc[cap & (read["bound"] == "at_least"), "munitions_read"] = "unused"
    read.loc[cap, "canonical_high"] = read.loc[cap, "canonical_high"].fillna(read.loc[cap, "canonical_value"])
    read.loc[cap, "bound"] = "up_to"
    unused = read["munitions_read"].isin(("unused", "broken down"))
    read.loc[unused, ["coverage", "bound"]] = ["partial", "up_to"]  # a cap on a part: bounds nothing
    return read

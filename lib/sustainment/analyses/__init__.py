"""The analyses the notebooks show, as functions of the claims and the notebook's parameters, one
module per question: `ammunition` (Russian vs Western supply), `recruitment` (can recruitment
sustain losses? with `loss_bases` and, for readers, `recruitment_report`), `audit` (the claims
themselves), `briefing` (both, for the deck), `sensitivity` (what would change the answers: the
default sweeps), with what they share in `common`. Each pipeline returns every table a report needs; `*_charts` turn a result into
briefing charts whose titles state the finding in numbers computed here; `*_bottom_line` answers
the question in one paragraph. Everything is re-exported here, so a notebook needs one import.
"""

from sustainment.analyses.ammunition import (
    AmmunitionResult,
    ammunition_analysis,
    ammunition_bottom_line,
    ammunition_charts,
    ammunition_headline,
    balance_table,
    latest_supply_year,
    ratio_table,
    splits_table,
    supply_table,
    targets_table,
    trend_sentence,
)
from sustainment.analyses.audit import (
    audit_charts,
    crosscheck,
    crosscheck_table,
    disagreement,
    disagreement_table,
    headline_claims_table,
    headline_inputs,
    known_claims,
    relay_table,
    seed_claims,
    stale,
    stale_table,
)
from sustainment.analyses.briefing import (
    METHODS,
    briefing_charts,
    charts_of_briefing,
    headline_numbers,
    key_central,
    key_numbers_table,
    key_range,
    read_key_numbers,
    save_briefing,
)
from sustainment.analyses.common import as_of_date, claim, claims_table, evidence_table, plain, report_header
from sustainment.analyses.recruitment import RecruitmentResult, killed_share, recruitment_analysis, recruitment_window
from sustainment.analyses.recruitment_report import (
    alternatives_table,
    killed_check_table,
    loss_bases_table,
    monte_carlo_table,
    rate_check_table,
    recruitment_alternatives,
    recruitment_bottom_line,
    recruitment_charts,
    recruitment_headline,
    recruitment_inputs_table,
    yearly_recruits_table,
)
from sustainment.analyses.registry import pipeline_inputs
from sustainment.analyses.sensitivity import sensitivity_analysis, sensitivity_bottom_line, sensitivity_charts, sweep_table
from sustainment.presentation.narrative import likelihood_note

__all__ = [
    "METHODS",
    "AmmunitionResult",
    "RecruitmentResult",
    "alternatives_table",
    "ammunition_analysis",
    "ammunition_bottom_line",
    "ammunition_charts",
    "ammunition_headline",
    "as_of_date",
    "audit_charts",
    "balance_table",
    "briefing_charts",
    "charts_of_briefing",
    "claim",
    "claims_table",
    "crosscheck",
    "crosscheck_table",
    "disagreement",
    "disagreement_table",
    "evidence_table",
    "headline_claims_table",
    "headline_inputs",
    "headline_numbers",
    "key_central",
    "key_numbers_table",
    "key_range",
    "read_key_numbers",
    "killed_check_table",
    "killed_share",
    "loss_bases_table",
    "known_claims",
    "latest_supply_year",
    "likelihood_note",
    "monte_carlo_table",
    "pipeline_inputs",
    "plain",
    "rate_check_table",
    "ratio_table",
    "splits_table",
    "recruitment_alternatives",
    "recruitment_analysis",
    "recruitment_bottom_line",
    "recruitment_charts",
    "recruitment_headline",
    "recruitment_inputs_table",
    "recruitment_window",
    "yearly_recruits_table",
    "relay_table",
    "report_header",
    "save_briefing",
    "seed_claims",
    "sensitivity_analysis",
    "sensitivity_bottom_line",
    "sensitivity_charts",
    "stale",
    "stale_table",
    "supply_table",
    "sweep_table",
    "targets_table",
    "trend_sentence",
]

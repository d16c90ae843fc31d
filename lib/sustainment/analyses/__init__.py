"""The analyses the notebooks show, as functions of the claims and the notebook's parameters, one
module per question: `ammunition` (Russian vs Western supply), `recruitment` (can recruitment
sustain losses?), `audit` (the claims themselves), `briefing` (both, for the deck), with what they
share in `common`. Each pipeline returns every table a report needs; `*_charts` turn a result into
briefing charts whose titles state the finding in numbers computed here; `*_bottom_line` answers
the question in one paragraph. Everything is re-exported here, so a notebook needs one import.
"""

from sustainment.analyses.ammunition import (
                                             AmmunitionResult,
                                             ammunition_analysis,
                                             ammunition_bottom_line,
                                             ammunition_charts,
                                             balance_table,
                                             latest_supply_year,
                                             ratio_table,
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
                                             BRIEFING_FILE,
                                             KEY_NUMBERS_FILE,
                                             briefing_charts,
                                             headline_numbers,
                                             key_numbers_table,
                                             preflight,
                                             save_briefing,
)
from sustainment.analyses.common import (
                                             as_of_date,
                                             claim,
                                             claims_table,
                                             evidence_table,
                                             likelihood_note,
                                             plain,
                                             report_header,
)
from sustainment.analyses.recruitment import (
                                             RecruitmentResult,
                                             alternatives_table,
                                             killed_share,
                                             monte_carlo_table,
                                             rate_check_table,
                                             recruitment_alternatives,
                                             recruitment_analysis,
                                             recruitment_bottom_line,
                                             recruitment_charts,
                                             recruitment_inputs_table,
                                             recruitment_window,
)

__all__ = [
    "AmmunitionResult", "RecruitmentResult", "BRIEFING_FILE", "KEY_NUMBERS_FILE", "alternatives_table",
    "ammunition_analysis", "ammunition_bottom_line", "ammunition_charts", "as_of_date", "audit_charts", "balance_table",
    "briefing_charts", "claim", "claims_table", "crosscheck", "crosscheck_table", "disagreement", "disagreement_table",
    "evidence_table", "headline_claims_table", "headline_inputs", "headline_numbers", "key_numbers_table",
    "killed_share", "known_claims", "latest_supply_year", "likelihood_note", "monte_carlo_table", "plain", "preflight",
    "rate_check_table", "ratio_table", "recruitment_alternatives", "save_briefing", "recruitment_analysis",
    "recruitment_bottom_line",
    "recruitment_charts", "recruitment_inputs_table", "recruitment_window", "relay_table", "report_header",
    "seed_claims", "stale", "stale_table", "supply_table", "targets_table", "trend_sentence",
]

Feature: Advice that holds together and says how far to trust it
  The recommended initiation and collaboration level are decided together, never stop at
  arm's-length delivery, keep applied work collaborative, keep reasons for and against a mode
  apart, say what blocks the work and when a call is close, flag profiles that contradict
  themselves, and name the tool's own numbers, the study's limits and what success looks like.

  Scenario: A co-funded review between trusted, stable partners is not given co-produced initiation at a consultative level
    Given a project profile
      | project_type    | evidence_review |
      | timeline_months | 12              |
      | funding         | co_funded       |
      | relationship    | long_term       |
      | staff_stability | high            |
    When the engine recommends a partnership model
    Then the collaboration level is "consultative"
    And co-produced initiation is not recommended
    And the recommended mode fits the collaboration level
    And co-produced initiation is said not to fit the collaboration level

  Scenario: A short commissioned analysis of existing data still agrees its aims together
    Given a project profile
      | project_type         | data_analysis       |
      | timeline_months      | 3                   |
      | funding              | agency_commissioned |
      | relationship         | none                |
      | staff_stability      | low                 |
      | agency_evidence_need | specific            |
    When the engine recommends a partnership model
    Then the collaboration level is "consultative"
    And the collaboration level is at least "consultative"
    And the level reasons cite "collab.agree_aims_always"

  Scenario Outline: Applied work is at least collaborative whatever the funding
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | 12             |
      | funding         | <funding>      |
      | relationship    | none           |
      | staff_stability | low            |
    When the engine recommends a partnership model
    Then the collaboration level is at least "collaborative"
    And the recommended mode fits the collaboration level

    Examples:
      | project_type   | funding                |
      | evaluation     | agency_commissioned    |
      | evaluation     | agency_funded_proposal |
      | evaluation     | external_grant         |
      | evaluation     | co_funded              |
      | evaluation     | unfunded               |
      | implementation | agency_commissioned    |
      | implementation | external_grant         |
      | implementation | unfunded               |
      | intervention   | agency_funded_proposal |
      | intervention   | co_funded              |
      | intervention   | unfunded               |

  Scenario Outline: What speaks against co-production is listed against it, never as a reason for it
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | <months>       |
      | funding         | co_funded      |
      | relationship    | none           |
      | staff_stability | low            |
    When the engine recommends a partnership model
    Then every reason for a mode raises its score and every reason against it lowers it
    And "<rule>" is a reason against co-produced initiation, not a reason for it

    Examples:
      | project_type    | months | rule                                           |
      | evidence_review | 12     | independent_work_for_reviews_and_existing_data |
      | data_analysis   | 12     | independent_work_for_reviews_and_existing_data |
      | implementation  | 4      | short_timeline_rules_out_coproduction          |
      | evaluation      | 12     | no_relationship_needs_time_to_build            |
      | evaluation      | 12     | unstable_staff_weakens_coproduction            |

  Scenario Outline: A politically sensitive topic raises the risk of political change at any timeline
    Given a project profile
      | project_type          | data_analysis  |
      | timeline_months       | <months>       |
      | funding               | external_grant |
      | relationship          | long_term      |
      | staff_stability       | high           |
      | politically_sensitive | true           |
    When the engine recommends a partnership model
    Then the risks for the both parties include "shared.political_change"

    Examples:
      | months |
      | 3      |
      | 11     |
      | 30     |

  Scenario: An agency with no need for the evidence gives researcher initiation no lift
    Given a project profile
      | project_type         | evidence_review     |
      | timeline_months      | 12                  |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | none                |
    When the agency_evidence_need is "general" instead
    Then researcher initiation scores no higher without an agency need than with a general interest

  Scenario: Without an agency need, finding the pull comes before anything else
    Given a project profile
      | project_type         | evaluation     |
      | timeline_months      | 18             |
      | funding              | external_grant |
      | relationship         | prior_project  |
      | staff_stability      | moderate       |
      | agency_evidence_need | none           |
    When the engine recommends a partnership model
    Then the risks for the researchers include "researchers.no_policy_pull"
    And "researchers.no_policy_pull" blocks the partnership
    And the first mitigation is "align_with_policy_pull"

  Scenario: A researchers' proposal for an agency with no need is not told it simply matches
    Given a project profile
      | project_type         | evaluation     |
      | timeline_months      | 18             |
      | funding              | external_grant |
      | relationship         | prior_project  |
      | staff_stability      | moderate       |
      | agency_evidence_need | none           |
      | proposed_initiation  | researcher     |
    When the engine recommends a partnership model
    Then "researchers.no_policy_pull" blocks the partnership
    And the researchers' plan is not told it simply matches the recommendation

  Scenario: In-kind input from the agency shares the risk, so co-production needs no co-funding
    Given a project profile
      | project_type         | evaluation     |
      | timeline_months      | 24             |
      | funding              | external_grant |
      | relationship         | long_term      |
      | staff_stability      | high           |
      | in_kind_contribution | true           |
    When the engine recommends a partnership model
    Then the collaboration level is "co_production"
    And co-produced initiation is ranked first
    And the recommended mode fits the collaboration level
    And "in_kind_shares_risk" is a reason for co-produced initiation

  Scenario: A standing partnership stands in for a long-term relationship
    Given a project profile
      | project_type         | evaluation     |
      | timeline_months      | 24             |
      | funding              | external_grant |
      | relationship         | prior_project  |
      | standing_partnership | true           |
      | staff_stability      | high           |
      | in_kind_contribution | true           |
    When the engine recommends a partnership model
    Then the collaboration level is "co_production"
    And co-produced initiation is ranked first
    And "standing_partnership_builds_trust" is a reason for co-produced initiation

  Scenario: An agency funding the researchers' own proposal is researcher initiation
    Given a project profile
      | project_type         | evidence_review        |
      | timeline_months      | 12                     |
      | funding              | agency_funded_proposal |
      | relationship         | prior_project          |
      | staff_stability      | moderate               |
      | agency_evidence_need | general                |
      | proposed_initiation  | researcher             |
    When the engine recommends a partnership model
    Then researcher initiation is ranked first
    And the proposed mode is the recommended one

  Scenario: Unfunded applied work keeps its level and must secure funding first
    Given a project profile
      | project_type    | evaluation |
      | timeline_months | 12         |
      | funding         | unfunded   |
      | relationship    | long_term  |
      | staff_stability | high       |
    When the engine recommends a partnership model
    Then the collaboration level is at least "collaborative"
    And "shared.no_funding" blocks the partnership
    And the first mitigation is "secure_funding"

  Scenario: A commission for evidence the agency does not need is flagged as a contradiction
    Given a project profile
      | project_type         | evidence_review     |
      | timeline_months      | 8                   |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | none                |
    When the engine recommends a partnership model
    Then the profile is warned about, naming the fields "funding" and "agency_evidence_need"

  Scenario: A profile that does not contradict itself gets no warning
    Given a project profile
      | project_type         | evidence_review     |
      | timeline_months      | 8                   |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | specific            |
    When the engine recommends a partnership model
    Then the profile is not warned about

  Scenario Outline: Every answer names the tool's own numbers, the study's limits and what success looks like
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | <months>       |
      | funding         | <funding>      |
      | relationship    | <relationship> |
      | staff_stability | <stability>    |
    When the engine recommends a partnership model
    Then the answer names the tool's own calibrations behind its scores
    And the answer carries every limit of the study
    And the answer says what success looks like in 7 statements

    Examples:
      | project_type    | months | funding             | relationship  | stability |
      | evidence_review | 3      | agency_commissioned | none          | low       |
      | evaluation      | 24     | co_funded           | long_term     | high      |
      | intervention    | 60     | unfunded            | prior_project | moderate  |

  Scenario: A close call between two modes is said aloud, with what would separate them
    Given a project profile
      | project_type         | data_analysis       |
      | timeline_months      | 3                   |
      | funding              | agency_commissioned |
      | relationship         | none                |
      | staff_stability      | low                 |
      | agency_evidence_need | general             |
    When the engine recommends a partnership model
    Then the initiation is a close call between agency initiation and researcher initiation
    And the close call is decided by the fields "funding" and "agency_evidence_need"

  Scenario: The plan check holds a short consultative review to what such a review needs
    Given a project profile
      | project_type    | evidence_review     |
      | timeline_months | 3                   |
      | funding         | agency_commissioned |
      | relationship    | none                |
      | staff_stability | moderate            |
    And a plan with these components in place
      | aims_in_writing    |
      | dated_deliverables |
      | adequate_budget    |
    When the plan is checked
    Then the plan is checked at the "consultative" level
    And the gap "relationship_building" is no more than medium
    And the gap "staff_continuity_plan" is no more than medium

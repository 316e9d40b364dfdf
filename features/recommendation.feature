Feature: Recommend how to set up a research/policy partnership
  An agency scoping a tender or researchers checking a grant plan describe their project and
  get the initiation mode and collaboration level the study supports, the risks each party
  runs, and what to do about them.

  Scenario: An agency with a specific evidence need that commissions the work should initiate it
    Given a project profile
      | project_type         | evidence_review     |
      | timeline_months      | 8                   |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | specific            |
    When the engine recommends a partnership model
    Then agency initiation is ranked first
    And every ranked mode gives its reasons with findings

  Scenario Outline: Commissioned work for a specific need warns of the known risks of agency initiation
    Given a project profile
      | project_type         | evaluation          |
      | timeline_months      | 12                  |
      | funding              | agency_commissioned |
      | relationship         | none                |
      | staff_stability      | moderate            |
      | agency_evidence_need | specific            |
    When the engine recommends a partnership model
    Then the risks for the <party> include "<risk>"

    Examples:
      | party         | risk                            |
      | policy agency | agency.overpromising            |
      | policy agency | agency.late_or_poor_delivery    |
      | policy agency | agency.question_narrowed        |
      | policy agency | agency.no_recommendations       |
      | researchers   | researchers.opportunity_cost    |
      | researchers   | researchers.scope_creep         |
      | researchers   | researchers.context_withheld    |
      | researchers   | researchers.pragmatic_methods   |
      | both parties  | shared.political_change         |

  Scenario: A competitive grant with only general agency interest fits researcher initiation
    Given a project profile
      | project_type         | intervention   |
      | timeline_months      | 36             |
      | funding              | external_grant |
      | relationship         | prior_project  |
      | staff_stability      | moderate       |
      | agency_evidence_need | general        |
    When the engine recommends a partnership model
    Then researcher initiation is ranked first

  Scenario Outline: A researcher-initiated grant warns of the known risks of researcher initiation
    Given a project profile
      | project_type         | intervention   |
      | timeline_months      | 36             |
      | funding              | external_grant |
      | relationship         | prior_project  |
      | staff_stability      | moderate       |
      | agency_evidence_need | general        |
    When the engine recommends a partnership model
    Then the risks for the <party> include "<risk>"

    Examples:
      | party         | risk                                |
      | policy agency | agency.evidence_too_late            |
      | policy agency | agency.need_not_met                 |
      | policy agency | agency.researchers_dominate         |
      | policy agency | agency.no_acknowledgement           |
      | policy agency | agency.no_practical_outcomes        |
      | researchers   | researchers.agency_disengages       |
      | researchers   | researchers.resources_not_delivered |

  Scenario Outline: Applied work needs close collaboration because of policy-makers' tacit knowledge
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | 18             |
      | funding         | external_grant |
      | relationship    | prior_project  |
      | staff_stability | moderate       |
    When the engine recommends a partnership model
    Then the collaboration level is "collaborative"
    And the level reasons cite "collab.high_need_projects"

    Examples:
      | project_type   |
      | evaluation     |
      | implementation |
      | intervention   |

  Scenario Outline: Reviews and analyses of existing data can run largely independently once aims are agreed
    Given a project profile
      | project_type         | <project_type>      |
      | timeline_months      | 18                  |
      | funding              | co_funded           |
      | relationship         | long_term           |
      | staff_stability      | high                |
      | agency_evidence_need | <need>              |
    When the engine recommends a partnership model
    Then the collaboration level is "<level>"
    And the mitigations include "agree_shared_aims"

    Examples:
      | project_type    | need     | level         |
      | evidence_review | general  | consultative  |
      | data_analysis   | general  | consultative  |
      | evidence_review | specific | consultative  |
      | data_analysis   | specific | consultative  |

  Scenario Outline: With every precondition present, applied work is co-produced
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | 24             |
      | funding         | co_funded      |
      | relationship    | long_term      |
      | staff_stability | high           |
    When the engine recommends a partnership model
    Then co-produced initiation is ranked first
    And the collaboration level is "co_production"

    Examples:
      | project_type   |
      | evaluation     |
      | implementation |
      | intervention   |

  Scenario Outline: Without one precondition, recommend the closest feasible level and the step toward co-production
    Given a project profile
      | project_type    | evaluation          |
      | timeline_months | <timeline_months>   |
      | funding         | <funding>           |
      | relationship    | <relationship>      |
      | staff_stability | <staff_stability>   |
    When the engine recommends a partnership model
    Then the collaboration level is "collaborative"
    And the steps toward co-production include "<step>"
    And the level reasons cite "coprod.hard_to_achieve"

    Examples:
      | timeline_months | funding             | relationship  | staff_stability | step                        |
      | 24              | co_funded           | prior_project | high            | build_relationship_first    |
      | 24              | co_funded           | none          | high            | start_with_stepping_stone   |
      | 24              | co_funded           | long_term     | moderate        | staff_continuity_plan       |
      | 24              | agency_commissioned | long_term     | high            | share_the_risk              |
      | 9               | co_funded           | long_term     | high            | allow_time_for_coproduction |

  Scenario: A short timeline rules out co-production even when everything else is in place
    Given a project profile
      | project_type    | implementation |
      | timeline_months | 5              |
      | funding         | co_funded      |
      | relationship    | long_term      |
      | staff_stability | high           |
    When the engine recommends a partnership model
    Then the collaboration level is "collaborative"
    And the risks for the researchers include "researchers.pragmatic_methods"

  Scenario Outline: Long timelines and politically sensitive topics raise the risk of political change
    Given a project profile
      | project_type          | data_analysis    |
      | timeline_months       | <months>         |
      | funding               | external_grant   |
      | relationship          | long_term        |
      | staff_stability       | high             |
      | politically_sensitive | <sensitive>      |
    When the engine recommends a partnership model
    Then the risks for the both parties <verdict> "shared.political_change"

    Examples:
      | months | sensitive | verdict        |
      | 30     | false     | include        |
      | 12     | true      | include        |
      | 11     | false     | do not include |

  Scenario: Missing funding is a blocker to resolve first, not a reason to collaborate less
    Given a project profile
      | project_type    | evaluation |
      | timeline_months | 12         |
      | funding         | unfunded   |
      | relationship    | long_term  |
      | staff_stability | high       |
    When the engine recommends a partnership model
    Then the risks for the both parties include "shared.no_funding"
    And the collaboration level is "collaborative"

  Scenario: Work that depends on agency data warns that the data may not be delivered
    Given a project profile
      | project_type     | data_analysis       |
      | timeline_months  | 10                  |
      | funding          | agency_commissioned |
      | relationship     | prior_project       |
      | staff_stability  | high                |
      | uses_agency_data | true                |
    When the engine recommends a partnership model
    Then the risks for the researchers include "researchers.resources_not_delivered"
    And the mitigations include "data_access_agreement"

  Scenario Outline: Every answer carries the components of success every partnership needs
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | <months>       |
      | funding         | <funding>      |
      | relationship    | none           |
      | staff_stability | low            |
    When the engine recommends a partnership model
    Then the mitigations include every success component

    Examples:
      | project_type    | months | funding             |
      | evidence_review | 3      | agency_commissioned |
      | intervention    | 60     | unfunded            |
      | implementation  | 12     | co_funded           |

  Scenario Outline: More trust and more staff stability never lower co-production
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | 18             |
      | funding         | co_funded      |
      | relationship    | <relationship> |
      | staff_stability | <stability>    |
    When the <field> rises to "<higher>"
    Then the co-production score does not fall
    And the collaboration level does not fall

    Examples:
      | project_type    | relationship  | stability | field           | higher        |
      | evaluation      | none          | high      | relationship    | prior_project |
      | evaluation      | prior_project | high      | relationship    | long_term     |
      | implementation  | long_term     | low       | staff_stability | moderate      |
      | implementation  | long_term     | moderate  | staff_stability | high          |
      | evidence_review | prior_project | moderate  | relationship    | long_term     |

  Scenario: A researcher-initiated plan for an agency that needs specific evidence is told why agency initiation ranks higher
    Given a project profile
      | project_type         | evaluation          |
      | timeline_months      | 12                  |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | specific            |
      | proposed_initiation  | researcher          |
    When the engine recommends a partnership model
    Then the proposed mode is outranked by agency initiation
    And the assessment explains the gap with rule "specific_need_favours_agency_initiation"
    And the assessment lists "researchers.agency_disengages" among the proposed mode's risks

  Scenario: A researcher-initiated plan that fits is confirmed
    Given a project profile
      | project_type        | intervention   |
      | timeline_months     | 36             |
      | funding             | external_grant |
      | relationship        | prior_project  |
      | staff_stability     | moderate       |
      | proposed_initiation | researcher     |
    When the engine recommends a partnership model
    Then the proposed mode is the recommended one

  Scenario: The same profile always gets the same answer
    Given a project profile
      | project_type    | implementation |
      | timeline_months | 20             |
      | funding         | external_grant |
      | relationship    | long_term      |
      | staff_stability | low            |
    When the engine recommends a partnership model twice
    Then both answers are identical byte for byte

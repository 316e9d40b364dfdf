Feature: Scope a tender
  An agency about to put research out to tender describes the project and gets the recommended
  initiation and collaboration level, the clauses to put in the tender, questions for
  assessing bids (including how to spot over-promising), and what the agency itself commits to.

  Scenario: An agency tendering an evidence review for a specific need gets the core clauses
    Given a project profile
      | project_type         | evidence_review     |
      | timeline_months      | 8                   |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | specific            |
    When the agency asks for a tender brief
    Then the brief recommends "agency" initiation
    And the tender includes the clause "synthesis_and_recommendations"
    And the tender includes the clause "interim_findings"
    And the tender includes the clause "realistic_scope"
    And the tender includes the clause "context_briefing"
    And the tender includes the clause "acknowledgement_and_publication"
    And the tender includes the clause "time_for_iteration"
    And the agency commits to "brief_on_context"
    And the agency commits to "staff_time"
    And every item in the brief cites findings that exist

  Scenario: The bid questions show how to spot over-promising
    Given a project profile
      | project_type         | evidence_review     |
      | timeline_months      | 8                   |
      | funding              | agency_commissioned |
      | relationship         | prior_project       |
      | staff_stability      | moderate            |
      | agency_evidence_need | specific            |
    When the agency asks for a tender brief
    Then the question "deliverable_resourcing" lists warning signs
    And a bid question cites the finding "agency_init.risk_overpromising"

  Scenario: Work on agency data needs data access terms and the agency's promise to provide the data
    Given a project profile
      | project_type     | data_analysis       |
      | timeline_months  | 8                   |
      | funding          | agency_commissioned |
      | relationship     | prior_project       |
      | staff_stability  | high                |
      | uses_agency_data | true                |
    When the agency asks for a tender brief
    Then the tender includes the clause "data_access_terms"
    And the agency commits to "provide_data"

  Scenario: Work without agency data leaves the data clauses out
    Given a project profile
      | project_type     | data_analysis       |
      | timeline_months  | 8                   |
      | funding          | agency_commissioned |
      | relationship     | prior_project       |
      | staff_stability  | high                |
      | uses_agency_data | false               |
    When the agency asks for a tender brief
    Then the tender leaves out the clause "data_access_terms"
    And the agency does not commit to "provide_data"
    And the agency does not commit to "continuity_on_staff_change"

  Scenario: An evaluation calls for joint steering and agency staff in the design
    Given a project profile
      | project_type    | evaluation          |
      | timeline_months | 12                  |
      | funding         | agency_commissioned |
      | relationship    | prior_project       |
      | staff_stability | moderate            |
    When the agency asks for a tender brief
    Then the brief recommends the "collaborative" level
    And the tender includes the clause "joint_steering"
    And the bid questions include "involving_agency_staff"
    And the agency commits to "staff_for_joint_work"

  Scenario Outline: Every project type gets a brief with cited items
    Given a project profile
      | project_type    | <project_type>      |
      | timeline_months | 5                   |
      | funding         | agency_commissioned |
      | relationship    | none                |
      | staff_stability | low                 |
    When the agency asks for a tender brief
    Then the brief has clauses, bid questions and agency commitments
    And every item in the brief cites findings that exist

    Examples:
      | project_type    |
      | evidence_review |
      | data_analysis   |
      | evaluation      |
      | implementation  |
      | intervention    |

Feature: Ask what would change the recommendation
  A user sees, for each field of the profile, which other values would change the recommended
  initiation mode or collaboration level, and the smallest set of changes that would make
  co-production the recommended level. Every answer comes from running the engine on the
  changed profile.

  Scenario: Co-funding is the one change a trusted, stable evaluation team needs for co-production
    Given a project profile
      | project_type    | evaluation     |
      | timeline_months | 24             |
      | funding         | external_grant |
      | relationship    | long_term      |
      | staff_stability | high           |
    When the user asks what would change the recommendation
    Then changing "funding" to "co_funded" makes the level "co_production"
    And changing "funding" to "agency_commissioned" makes the initiation "co_produced"
    And the smallest change for co-production is
      | funding | co_funded |

  Scenario: A short evidence review is five changes away from co-production
    Given a project profile
      | project_type    | evidence_review |
      | timeline_months | 3               |
      | funding         | external_grant  |
      | relationship    | none            |
      | staff_stability | low             |
    When the user asks what would change the recommendation
    Then the smallest change for co-production changes 5 fields
    And applying the smallest change makes the engine recommend co-production

  Scenario: A timeline change is reported with the range of months it stands for
    Given a project profile
      | project_type    | evaluation |
      | timeline_months | 3          |
      | funding         | co_funded  |
      | relationship    | long_term  |
      | staff_stability | high       |
    When the user asks what would change the recommendation
    Then changing "timeline_months" to any value from 12 to 120 makes the level "co_production"
    And the smallest change for co-production is
      | timeline_months | 12 |

  Scenario: A project already recommended for co-production needs no change
    Given a project profile
      | project_type    | implementation |
      | timeline_months | 36             |
      | funding         | co_funded      |
      | relationship    | long_term      |
      | staff_stability | high           |
    When the user asks what would change the recommendation
    Then co-production is already the recommended level

  Scenario: Fields that only raise risks are not reported as changing the recommendation
    Given a project profile
      | project_type    | evaluation     |
      | timeline_months | 24             |
      | funding         | external_grant |
      | relationship    | long_term      |
      | staff_stability | high           |
    When the user asks what would change the recommendation
    Then no value of "politically_sensitive" changes the recommendation
    And no value of "uses_agency_data" changes the recommendation
    And every reported change cites findings that exist

{{config materialized="table" tags="education"}}
-- The ministry's school calendar, both exports in one typed table: one row per delivered row.
-- Dates: the labelled export gives local midnight with its offset, the API export the same
-- instant in UTC; both are read as instants and converted to the Paris calendar day, so the
-- API's "day before at 22:00/23:00 UTC" lands on the right day. date_reprise is the day
-- classes resume: holiday days are [date_debut, date_reprise).
-- periode_valide is false for the row whose end is before its start (kept, flagged, ignored
-- downstream). zone_metropole is 'A', 'B' or 'C' for the mainland zones, NULL otherwise.
select
    export,
    description,
    population,
    location as academie,
    zones,
    case zones when 'Zone A' then 'A' when 'Zone B' then 'B' when 'Zone C' then 'C' end as zone_metropole,
    annee_scolaire,
    {{cast (from_utc (cast "start_date" "timestamp_tz") (var "timezone")) "date"}} as date_debut,
    {{cast (from_utc (cast "end_date" "timestamp_tz") (var "timezone")) "date"}} as date_reprise,
    {{cast (from_utc (cast "end_date" "timestamp_tz") (var "timezone")) "date"}}
        >= {{cast (from_utc (cast "start_date" "timestamp_tz") (var "timezone")) "date"}} as periode_valide,
    population in ('-', 'Élèves') as concerne_eleves,
    _source_file,
    _fichier,
    _loaded_at
from {{ref "bronze_calendrier_scolaire"}}

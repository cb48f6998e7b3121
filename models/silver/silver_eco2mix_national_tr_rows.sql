{{config materialized="table" tags="rte,eco2mix"}}
-- Every quarter-hour row of bronze_eco2mix_national_tr, typed, placed on the UTC time line and
-- given a status saying whether silver_eco2mix_national_15min keeps it and, if not, why. This is
-- the audit trail: count(*) here = count(*) in bronze, and
-- silver_eco2mix_national_15min = the rows with statut_ligne = 'retenue'.
--
-- Values: blank, `ND` and `-` become NULL; anything else must be a number, or the build fails
-- (a changed RTE format should stop the pipeline, not turn into silent NULLs).
--
-- Time (Date + Heures are French wall-clock time, no offset) - the DST rule:
--   * the wall-clock time is converted with the project's `timezone` var (Europe/Paris), then
--     converted back: if it does not round-trip, that local time does not exist (the skipped
--     hour of the spring-forward day). RTE still prints 96 rows that day and fills 02:00-02:45
--     with copies of neighbouring quarter-hours: those rows get ts_utc NULL and status
--     'heure_inexistante'. The day keeps its 92 real quarter-hours.
--   * a local time that two instants display (the repeated hour of the autumn day) is printed
--     once by RTE; it is mapped to its FIRST occurrence (summer time, UTC+2), checked by looking
--     at the instant one hour earlier. The day has 96 rows for its 100 real quarter-hours; the
--     four instants of the second pass (winter time, UTC+1) are missing from the data.
--   Both checks only use to_utc/from_utc, so the rule does not depend on how an engine resolves
--   non-existent or ambiguous local times.
--
-- Overlapping downloads: among the rows that remain for one instant, the one from the file whose
-- name sorts last wins (RTE file names carry the download period, so that is the latest download,
-- with the latest revisions); the others get status 'doublon_remplace'.
with typed as (
    select
        perimetre,
        nature,
        {{cast "date" "date"}} as date_locale,
        heures as heure_locale,
        {{parse_timestamp "date || ' ' || heures" "%Y-%m-%d %H:%M"}} as ts_locale,
        {{cast "nullif(nullif(nullif(trim(consommation), ''), 'ND'), '-')" "float"}} as consommation_mw,
        {{cast "nullif(nullif(nullif(trim(prevision_j1), ''), 'ND'), '-')" "float"}} as prevision_j1_mw,
        {{cast "nullif(nullif(nullif(trim(prevision_j), ''), 'ND'), '-')" "float"}} as prevision_j_mw,
        {{cast "nullif(nullif(nullif(trim(fioul), ''), 'ND'), '-')" "float"}} as fioul_mw,
        {{cast "nullif(nullif(nullif(trim(charbon), ''), 'ND'), '-')" "float"}} as charbon_mw,
        {{cast "nullif(nullif(nullif(trim(gaz), ''), 'ND'), '-')" "float"}} as gaz_mw,
        {{cast "nullif(nullif(nullif(trim(nucleaire), ''), 'ND'), '-')" "float"}} as nucleaire_mw,
        {{cast "nullif(nullif(nullif(trim(eolien), ''), 'ND'), '-')" "float"}} as eolien_mw,
        {{cast "nullif(nullif(nullif(trim(solaire), ''), 'ND'), '-')" "float"}} as solaire_mw,
        {{cast "nullif(nullif(nullif(trim(hydraulique), ''), 'ND'), '-')" "float"}} as hydraulique_mw,
        {{cast "nullif(nullif(nullif(trim(pompage), ''), 'ND'), '-')" "float"}} as pompage_mw,
        {{cast "nullif(nullif(nullif(trim(bioenergies), ''), 'ND'), '-')" "float"}} as bioenergies_mw,
        {{cast "nullif(nullif(nullif(trim(ech_physiques), ''), 'ND'), '-')" "float"}} as ech_physiques_mw,
        {{cast "nullif(nullif(nullif(trim(taux_co2), ''), 'ND'), '-')" "float"}} as taux_co2_g_kwh,
        {{cast "nullif(nullif(nullif(trim(ech_comm_angleterre), ''), 'ND'), '-')" "float"}} as ech_comm_angleterre_mw,
        {{cast "nullif(nullif(nullif(trim(ech_comm_espagne), ''), 'ND'), '-')" "float"}} as ech_comm_espagne_mw,
        {{cast "nullif(nullif(nullif(trim(ech_comm_italie), ''), 'ND'), '-')" "float"}} as ech_comm_italie_mw,
        {{cast "nullif(nullif(nullif(trim(ech_comm_suisse), ''), 'ND'), '-')" "float"}} as ech_comm_suisse_mw,
        {{cast "nullif(nullif(nullif(trim(ech_comm_allemagne_belgique), ''), 'ND'), '-')" "float"}} as ech_comm_allemagne_belgique_mw,
        {{cast "nullif(nullif(nullif(trim(fioul_tac), ''), 'ND'), '-')" "float"}} as fioul_tac_mw,
        {{cast "nullif(nullif(nullif(trim(fioul_cogen), ''), 'ND'), '-')" "float"}} as fioul_cogen_mw,
        {{cast "nullif(nullif(nullif(trim(fioul_autres), ''), 'ND'), '-')" "float"}} as fioul_autres_mw,
        {{cast "nullif(nullif(nullif(trim(gaz_tac), ''), 'ND'), '-')" "float"}} as gaz_tac_mw,
        {{cast "nullif(nullif(nullif(trim(gaz_cogen), ''), 'ND'), '-')" "float"}} as gaz_cogen_mw,
        {{cast "nullif(nullif(nullif(trim(gaz_ccg), ''), 'ND'), '-')" "float"}} as gaz_ccg_mw,
        {{cast "nullif(nullif(nullif(trim(gaz_autres), ''), 'ND'), '-')" "float"}} as gaz_autres_mw,
        {{cast "nullif(nullif(nullif(trim(hydraulique_fil_eau_eclusee), ''), 'ND'), '-')" "float"}} as hydraulique_fil_eau_eclusee_mw,
        {{cast "nullif(nullif(nullif(trim(hydraulique_lacs), ''), 'ND'), '-')" "float"}} as hydraulique_lacs_mw,
        {{cast "nullif(nullif(nullif(trim(hydraulique_step_turbinage), ''), 'ND'), '-')" "float"}} as hydraulique_step_turbinage_mw,
        {{cast "nullif(nullif(nullif(trim(bioenergies_dechets), ''), 'ND'), '-')" "float"}} as bioenergies_dechets_mw,
        {{cast "nullif(nullif(nullif(trim(bioenergies_biomasse), ''), 'ND'), '-')" "float"}} as bioenergies_biomasse_mw,
        {{cast "nullif(nullif(nullif(trim(bioenergies_biogaz), ''), 'ND'), '-')" "float"}} as bioenergies_biogaz_mw,
        _source_file,
        _loaded_at
    from {{ref "bronze_eco2mix_national_tr"}}
),

candidate_instants as (
    select
        *,
        {{to_utc "ts_locale" (var "timezone")}} as ts_candidat
    from typed
),

placed as (
    select
        *,
        {{from_utc "ts_candidat" (var "timezone")}} <> ts_locale as heure_inexistante,
        (
            {{from_utc (dateadd "hour" "-1" "ts_candidat") (var "timezone")}} = ts_locale
            or {{from_utc (dateadd "hour" "1" "ts_candidat") (var "timezone")}} = ts_locale
        ) as heure_ambigue,
        case
            when {{from_utc "ts_candidat" (var "timezone")}} <> ts_locale then null
            when {{from_utc (dateadd "hour" "-1" "ts_candidat") (var "timezone")}} = ts_locale
                then {{dateadd "hour" "-1" "ts_candidat"}}
            else ts_candidat
        end as ts_utc,
        -- A row without any realised measure is a "future" row of the download: only forecasts
        -- and scheduled commercial exchanges are filled.
        coalesce(
            consommation_mw, fioul_mw, charbon_mw, gaz_mw, nucleaire_mw, eolien_mw, solaire_mw,
            hydraulique_mw, pompage_mw, bioenergies_mw, ech_physiques_mw, taux_co2_g_kwh,
            fioul_tac_mw, fioul_cogen_mw, fioul_autres_mw, gaz_tac_mw, gaz_cogen_mw, gaz_ccg_mw,
            gaz_autres_mw, hydraulique_fil_eau_eclusee_mw, hydraulique_lacs_mw,
            hydraulique_step_turbinage_mw, bioenergies_dechets_mw, bioenergies_biomasse_mw,
            bioenergies_biogaz_mw
        ) is null as ligne_future
    from candidate_instants
),

ranked as (
    select
        *,
        row_number() over (
            partition by ts_utc, (ligne_future or heure_inexistante)
            order by _source_file desc
        ) as rang_fichier
    from placed
)

select
    ts_utc,
    ts_locale,
    date_locale,
    heure_locale,
    heure_inexistante,
    heure_ambigue,
    ligne_future,
    case
        when ligne_future then 'future_vide'
        when heure_inexistante then 'heure_inexistante'
        when rang_fichier > 1 then 'doublon_remplace'
        else 'retenue'
    end as statut_ligne,
    perimetre,
    nature,
    consommation_mw,
    prevision_j1_mw,
    prevision_j_mw,
    fioul_mw,
    charbon_mw,
    gaz_mw,
    nucleaire_mw,
    eolien_mw,
    solaire_mw,
    hydraulique_mw,
    pompage_mw,
    bioenergies_mw,
    ech_physiques_mw,
    taux_co2_g_kwh,
    ech_comm_angleterre_mw,
    ech_comm_espagne_mw,
    ech_comm_italie_mw,
    ech_comm_suisse_mw,
    ech_comm_allemagne_belgique_mw,
    fioul_tac_mw,
    fioul_cogen_mw,
    fioul_autres_mw,
    gaz_tac_mw,
    gaz_cogen_mw,
    gaz_ccg_mw,
    gaz_autres_mw,
    hydraulique_fil_eau_eclusee_mw,
    hydraulique_lacs_mw,
    hydraulique_step_turbinage_mw,
    bioenergies_dechets_mw,
    bioenergies_biomasse_mw,
    bioenergies_biogaz_mw,
    _source_file,
    _loaded_at
from ranked

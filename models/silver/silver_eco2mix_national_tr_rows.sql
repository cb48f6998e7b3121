{{config materialized="table" tags="rte,eco2mix"}}
-- Every quarter-hour row of the two national real-time feeds (RTE "xls" downloads and the ODRE
-- CSV export), typed, placed on the UTC time line and given a status saying whether
-- silver_eco2mix_national_15min keeps it and, if not, why. This is the audit trail:
-- count(*) here = count(*) in the two bronze models, and silver_eco2mix_national_15min = the rows
-- with statut_ligne = 'retenue'.
--
-- Values: blank, `ND` and `-` become NULL (macro `mesure`); anything else must be a number, or
-- the build fails.
-- Time: Date + Heures are French wall-clock time without offset; the DST rule is the macro
-- `instants_paris` (non-existent spring times get no instant and status 'heure_inexistante';
-- the autumn hour printed once is split between its two occurrences by half-hour).
-- Future rows: a row without any realised measure (only forecasts or scheduled exchanges) is
-- after the download time: status 'future_vide'.
-- Overlapping downloads: among the rows left for one instant, the most definitive `Nature`
-- wins, then the file loaded last, then the file whose name sorts last (RTE names carry the
-- download period); the others get status 'doublon_remplace'.
with livrees as (
    select 'rte_xls' as source_donnees, perimetre, nature, date, heures, null as date_heure,
        consommation, prevision_j1, prevision_j, fioul, charbon, gaz, nucleaire, eolien, solaire, hydraulique, pompage, bioenergies, ech_physiques, taux_co2, ech_comm_angleterre, ech_comm_espagne, ech_comm_italie, ech_comm_suisse, ech_comm_allemagne_belgique, fioul_tac, fioul_cogen, fioul_autres, gaz_tac, gaz_cogen, gaz_ccg, gaz_autres, hydraulique_fil_eau_eclusee, hydraulique_lacs, hydraulique_step_turbinage, bioenergies_dechets, bioenergies_biomasse, bioenergies_biogaz,
        _source_file, _fichier, _loaded_at
    from {{ref "bronze_eco2mix_national_tr"}}
    union all
    select 'odre_csv' as source_donnees, perimetre, nature, date, heures, date_heure,
        consommation, prevision_j1, prevision_j, fioul, charbon, gaz, nucleaire, eolien, solaire, hydraulique, pompage, bioenergies, ech_physiques, taux_co2, ech_comm_angleterre, ech_comm_espagne, ech_comm_italie, ech_comm_suisse, ech_comm_allemagne_belgique, fioul_tac, fioul_cogen, fioul_autres, gaz_tac, gaz_cogen, gaz_ccg, gaz_autres, hydraulique_fil_eau_eclusee, hydraulique_lacs, hydraulique_step_turbinage, bioenergies_dechets, bioenergies_biomasse, bioenergies_biogaz,
        _source_file, _fichier, _loaded_at
    from {{ref "bronze_eco2mix_national_tr_odre"}}
),

typed as (
    select
        source_donnees,
        perimetre,
        nature,
        {{cast "date" "date"}} as date_locale,
        heures as heure_locale,
        {{parse_timestamp "date || ' ' || heures" "%Y-%m-%d %H:%M"}} as ts_locale,
        {{cast "date_heure" "timestamp_tz"}} as ts_utc_odre,
        {{mesure "consommation"}} as consommation_mw,
        {{mesure "prevision_j1"}} as prevision_j1_mw,
        {{mesure "prevision_j"}} as prevision_j_mw,
        {{mesure "fioul"}} as fioul_mw,
        {{mesure "charbon"}} as charbon_mw,
        {{mesure "gaz"}} as gaz_mw,
        {{mesure "nucleaire"}} as nucleaire_mw,
        {{mesure "eolien"}} as eolien_mw,
        {{mesure "solaire"}} as solaire_mw,
        {{mesure "hydraulique"}} as hydraulique_mw,
        {{mesure "pompage"}} as pompage_mw,
        {{mesure "bioenergies"}} as bioenergies_mw,
        {{mesure "ech_physiques"}} as ech_physiques_mw,
        {{mesure "taux_co2"}} as taux_co2_g_kwh,
        {{mesure "ech_comm_angleterre"}} as ech_comm_angleterre_mw,
        {{mesure "ech_comm_espagne"}} as ech_comm_espagne_mw,
        {{mesure "ech_comm_italie"}} as ech_comm_italie_mw,
        {{mesure "ech_comm_suisse"}} as ech_comm_suisse_mw,
        {{mesure "ech_comm_allemagne_belgique"}} as ech_comm_allemagne_belgique_mw,
        {{mesure "fioul_tac"}} as fioul_tac_mw,
        {{mesure "fioul_cogen"}} as fioul_cogen_mw,
        {{mesure "fioul_autres"}} as fioul_autres_mw,
        {{mesure "gaz_tac"}} as gaz_tac_mw,
        {{mesure "gaz_cogen"}} as gaz_cogen_mw,
        {{mesure "gaz_ccg"}} as gaz_ccg_mw,
        {{mesure "gaz_autres"}} as gaz_autres_mw,
        {{mesure "hydraulique_fil_eau_eclusee"}} as hydraulique_fil_eau_eclusee_mw,
        {{mesure "hydraulique_lacs"}} as hydraulique_lacs_mw,
        {{mesure "hydraulique_step_turbinage"}} as hydraulique_step_turbinage_mw,
        {{mesure "bioenergies_dechets"}} as bioenergies_dechets_mw,
        {{mesure "bioenergies_biomasse"}} as bioenergies_biomasse_mw,
        {{mesure "bioenergies_biogaz"}} as bioenergies_biogaz_mw,
        _source_file,
        _fichier,
        _loaded_at
    from livrees
),

instants as (
    {{instants_paris "typed" "ts_locale"}}
),

placed as (
    select
        typed.*,
        instants.ts_utc,
        instants.heure_inexistante,
        instants.heure_ambigue,
        case nature
            when 'Données définitives' then 3
            when 'Données consolidées' then 2
            else 1
        end as niveau_precedence,
        coalesce(
            consommation_mw, fioul_mw, charbon_mw, gaz_mw, nucleaire_mw, eolien_mw, solaire_mw, hydraulique_mw, pompage_mw, bioenergies_mw, ech_physiques_mw, taux_co2_g_kwh, fioul_tac_mw, fioul_cogen_mw, fioul_autres_mw, gaz_tac_mw, gaz_cogen_mw, gaz_ccg_mw, gaz_autres_mw, hydraulique_fil_eau_eclusee_mw, hydraulique_lacs_mw, hydraulique_step_turbinage_mw, bioenergies_dechets_mw, bioenergies_biomasse_mw, bioenergies_biogaz_mw
        ) is null as ligne_future
    from typed
    inner join instants on typed.ts_locale = instants.ts_locale
),

ranked as (
    select
        *,
        row_number() over (
            partition by ts_utc, (ligne_future or heure_inexistante)
            order by niveau_precedence desc, _loaded_at desc, _source_file desc
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
    source_donnees,
    perimetre,
    nature,
    niveau_precedence,
    ts_utc_odre,
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
    _fichier,
    _loaded_at
from ranked

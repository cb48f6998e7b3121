{{config materialized="incremental" unique_key="date_locale" incremental_strategy="delete+insert" on_schema_change="fail" tags="rte,eco2mix"}}
-- National electricity mix, one row per real quarter-hour instant (ts_utc unique): the rows of
-- silver_eco2mix_national_tr_rows with statut_ligne = 'retenue' (see that model for the DST rule,
-- `ND`/`-`/blank, future rows and overlapping downloads), plus derived columns (SPEC §10).
--
-- Incremental: a run recomputes whole local days - those that received rows from files loaded
-- since the last run - and replaces them (delete+insert on date_locale), so a later download
-- that revises a day wins exactly as in a full build.
--
-- Derived columns propagate NULL: if one term is missing, the sum is NULL rather than too small.
-- Hydraulique includes pumped-storage generation (STEP turbinage), as in RTE's own total.
-- Every value is a mean power over the quarter-hour: duree_minutes = 15, MWh = MW x 0.25 h.
select
    ts_utc,
    ts_locale,
    date_locale,
    heure_locale,
    heure_ambigue,
    {{jour_changement_heure "date_locale"}} as jour_changement_heure,
    15 as duree_minutes,
    source_donnees,
    perimetre,
    nature,
{{#each (mesures_nationales)}}
    {{colonne}},
{{/each}}
    eolien_mw + solaire_mw + hydraulique_mw + bioenergies_mw as renouvelables_mw,
    gaz_mw + fioul_mw + charbon_mw as fossiles_mw,
    nucleaire_mw + eolien_mw + solaire_mw + hydraulique_mw + bioenergies_mw
        + gaz_mw + fioul_mw + charbon_mw as production_totale_mw,
    100 * {{safe_divide "eolien_mw + solaire_mw + hydraulique_mw + bioenergies_mw"
                        "nucleaire_mw + eolien_mw + solaire_mw + hydraulique_mw + bioenergies_mw + gaz_mw + fioul_mw + charbon_mw"}}
        as part_renouvelables_pct,
    consommation_mw - prevision_j1_mw as ecart_prevision_j1_mw,
    consommation_mw - prevision_j_mw as ecart_prevision_j_mw,
    ech_comm_angleterre_mw + ech_comm_espagne_mw + ech_comm_italie_mw + ech_comm_suisse_mw
        + ech_comm_allemagne_belgique_mw as solde_echanges_mw,
    _source_file,
    _fichier,
    _loaded_at
from {{ref "silver_eco2mix_national_tr_rows"}}
where statut_ligne = 'retenue'
{{#if (is_incremental)}}
  and date_locale in (
      select distinct nouvelles.date_locale
      from {{ref "silver_eco2mix_national_tr_rows"}} as nouvelles
      cross join (select max(_loaded_at) as dernier_chargement from {{this}}) as cible
      where nouvelles._loaded_at > cible.dernier_chargement
  )
{{/if}}

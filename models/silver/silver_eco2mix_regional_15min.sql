{{config materialized="incremental" unique_key="code_insee_region,date_locale" incremental_strategy="delete+insert" on_schema_change="fail" tags="eco2mix,regional"}}
-- Regional electricity every 15 or 30 minutes, one row per region and real UTC instant
-- ((code_insee_region, ts_utc) unique), from all regional feeds: the 'valide' rows of
-- silver_eco2mix_regional_lignes after precedence between overlapping files.
--
-- Precedence (documented rule): definitive > consolidated > real time. It is decided per region
-- and UTC half-hour: when a more definitive file covers a half-hour, every row of a less
-- definitive file in that half-hour is dropped - including the :15/:45 quarter-hours of a
-- real-time file that a half-hourly consolidated value already covers, so no energy is counted
-- twice. Among files of the same level, the one loaded last wins, then the file name that
-- sorts last.
--
-- Energy uses each row's true interval: *_mwh = MW x duree_minutes / 60 (30 min for definitive
-- and consolidated values, 15 min for real-time ones).
--
-- Incremental: a run rebuilds whole (region, local day) partitions - those that received rows
-- from files loaded since the last run - from every file covering them, and replaces them
-- (delete+insert), so precedence is decided exactly as in a full build.
with lignes as (
    select * from {{ref "silver_eco2mix_regional_lignes"}}
    where statut_ligne = 'valide'
),

{{#if (is_incremental)}}
partitions as (
    select distinct code_insee_region, date_locale
    from {{ref "silver_eco2mix_regional_lignes"}}
    where _loaded_at > (select max(_loaded_at) from {{this}})
),

candidats as (
    select lignes.*
    from lignes
    inner join partitions
        on lignes.code_insee_region = partitions.code_insee_region
       and lignes.date_locale = partitions.date_locale
),
{{else}}
candidats as (
    select * from lignes
),
{{/if}}

jours as (
    -- DST change days, computed once per distinct day rather than per row
    select distinct date_locale, {{jour_changement_heure "date_locale"}} as jour_changement_heure
    from (select distinct date_locale from candidats) as d
),

classees as (
    select
        candidats.*,
        jours.jour_changement_heure,
        max(candidats.niveau_precedence) over (partition by candidats.code_insee_region, candidats.ts_demi_heure_utc) as niveau_max_demi_heure,
        row_number() over (
            partition by candidats.code_insee_region, candidats.ts_utc
            order by candidats.niveau_precedence desc, candidats._loaded_at desc, candidats._source_file desc
        ) as rang
    from candidats
    inner join jours on candidats.date_locale = jours.date_locale
)

select
    code_insee_region,
    ts_utc,
    ts_locale,
    date_locale,
    heure_locale,
    heure_ambigue,
    jour_changement_heure,
    duree_minutes,
    nature,
    niveau_precedence,
    source_donnees,
    consommation_mw,
    thermique_mw,
    nucleaire_mw,
    eolien_mw,
    solaire_mw,
    hydraulique_mw,
    pompage_mw,
    bioenergies_mw,
    ech_physiques_mw,
    production_totale_mw,
    renouvelables_mw,
    fossiles_mw,
    pompage_effectif_mw,
    100 * {{safe_divide "renouvelables_mw" "production_totale_mw"}} as part_renouvelables_pct,
    valeurs_sans_objet,
    valeurs_manquantes,
    consommation_mw * duree_minutes / 60.0 as consommation_mwh,
    thermique_mw * duree_minutes / 60.0 as thermique_mwh,
    nucleaire_mw * duree_minutes / 60.0 as nucleaire_mwh,
    eolien_mw * duree_minutes / 60.0 as eolien_mwh,
    solaire_mw * duree_minutes / 60.0 as solaire_mwh,
    hydraulique_mw * duree_minutes / 60.0 as hydraulique_mwh,
    pompage_mw * duree_minutes / 60.0 as pompage_mwh,
    bioenergies_mw * duree_minutes / 60.0 as bioenergies_mwh,
    ech_physiques_mw * duree_minutes / 60.0 as ech_physiques_mwh,
    production_totale_mw * duree_minutes / 60.0 as production_totale_mwh,
    renouvelables_mw * duree_minutes / 60.0 as renouvelables_mwh,
    _source_file,
    _fichier,
    _loaded_at
from classees
where niveau_precedence = niveau_max_demi_heure
  and rang = 1

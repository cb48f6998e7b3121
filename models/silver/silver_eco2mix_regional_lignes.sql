{{config materialized="incremental" incremental_strategy="files" on_schema_change="fail" tags="eco2mix,regional"}}
-- Every data row of the regional éCO2mix feeds - RTE "xls" downloads (definitive, consolidated,
-- real time) and the ODRE real-time CSV - typed, mapped to an INSEE region, placed on the UTC
-- time line and given a row status. silver_eco2mix_regional_15min reads it (only the days it
-- must rebuild) and audit_lignes_par_fichier counts it.
-- Loaded by file (incremental_strategy files): every rule below depends only on the row and on
-- its own file, so a run reads the rows of the files bronze loaded or replaced since the last run,
-- replaces their rows here and leaves the others.
--
-- statut_ligne (row rules, in this order):
--   'vide_demi_horaire'  a blank :15/:45 row of a half-hourly file (definitive and consolidated
--                        files print 96 rows a day but fill only :00 and :30);
--   'future_vide'        a blank row after the last filled row of its file (the download time);
--   'heure_inexistante'  a local time that does not exist (spring-forward copies), macro instants_paris;
--   'valide'             kept as a candidate; silver_eco2mix_regional_15min then applies the
--                        precedence between files.
-- Values: blank, `ND` and `-` become NULL (macro `mesure`). Why a value is NULL is kept:
--   valeurs_sans_objet   measures with no number anywhere in the file (`-` or blank throughout:
--                        the region has no such plant, e.g. Nucléaire in PACA); they count as 0
--                        in the derived totals;
--   valeurs_manquantes   measures that are NULL here but filled elsewhere in the file (`ND`,
--                        an isolated `-` or a blank: missing data); they make the totals NULL.
-- Region: RTE rows carry a name (`Périmètre`, every spelling incl. the 2016 pre-reform names),
-- mapped with the regions_libelles seed; ODRE rows carry the INSEE code.
-- Interval: duree_minutes = 30 for rows of half-hourly files, 15 otherwise; energy (MWh) must
-- use it.
with livrees as (
    select
        'rte_xls' as source_donnees, dossier_source, perimetre as libelle_region, null as code_insee_livre,
        nature, date, heures,
        consommation, thermique, nucleaire, eolien, solaire, hydraulique, pompage, bioenergies, ech_physiques,
        _source_file, _fichier, _loaded_at
    from {{ref "bronze_eco2mix_regional_xls"}}
    union all
    select
        'odre_csv' as source_donnees, 'odre_temps_reel' as dossier_source, region as libelle_region, code_insee_region as code_insee_livre,
        nature, date, heures,
        consommation, thermique, nucleaire, eolien, solaire, hydraulique, pompage, bioenergies, ech_physiques,
        _source_file, _fichier, _loaded_at
    from {{ref "bronze_eco2mix_regional_tr_odre"}}
),

typed as (
    select
        source_donnees,
        dossier_source,
        libelle_region,
        code_insee_livre,
        nature,
        {{cast "date" "date"}} as date_locale,
        heures as heure_locale,
        {{parse_timestamp "date || ' ' || heures" "%Y-%m-%d %H:%M"}} as ts_locale,
        (coalesce(trim(consommation), '') = '' and coalesce(trim(thermique), '') = '' and coalesce(trim(nucleaire), '') = '' and coalesce(trim(eolien), '') = '' and coalesce(trim(solaire), '') = '' and coalesce(trim(hydraulique), '') = '' and coalesce(trim(pompage), '') = '' and coalesce(trim(bioenergies), '') = '' and coalesce(trim(ech_physiques), '') = '') as ligne_vide,
        {{mesure "consommation"}} as consommation_mw,
        {{mesure "thermique"}} as thermique_mw,
        {{mesure "nucleaire"}} as nucleaire_mw,
        {{mesure "eolien"}} as eolien_mw,
        {{mesure "solaire"}} as solaire_mw,
        {{mesure "hydraulique"}} as hydraulique_mw,
        {{mesure "pompage"}} as pompage_mw,
        {{mesure "bioenergies"}} as bioenergies_mw,
        {{mesure "ech_physiques"}} as ech_physiques_mw,
        _source_file,
        _fichier,
        _loaded_at
    from livrees
),

profil_fichier as (
    -- Per file: is it half-hourly (no filled :15/:45 row)? its last filled row? which measures
    -- carry at least one number?
    select
        _source_file,
        max(case when not ligne_vide and {{extract "minute" "ts_locale"}} not in (0, 30) then 1 else 0 end) = 0 as fichier_demi_horaire,
        max(case when not ligne_vide then ts_locale end) as dernier_ts_locale_rempli,
        count(consommation_mw) > 0 as a_consommation,
        count(thermique_mw) > 0 as a_thermique,
        count(nucleaire_mw) > 0 as a_nucleaire,
        count(eolien_mw) > 0 as a_eolien,
        count(solaire_mw) > 0 as a_solaire,
        count(hydraulique_mw) > 0 as a_hydraulique,
        count(pompage_mw) > 0 as a_pompage,
        count(bioenergies_mw) > 0 as a_bioenergies,
        count(ech_physiques_mw) > 0 as a_ech_physiques
    from typed
    group by _source_file
),

instants as (
    {{instants_paris "typed" "ts_locale"}}
),

regions as (
    select libelle, code_insee_region from {{ref "regions_libelles"}}
),

lignes as (
    select
        typed.*,
        coalesce(typed.code_insee_livre, regions.code_insee_region) as code_insee_region,
        instants.ts_utc,
        instants.heure_inexistante,
        instants.heure_ambigue,
        profil_fichier.fichier_demi_horaire,
        profil_fichier.dernier_ts_locale_rempli,
        profil_fichier.a_consommation, profil_fichier.a_thermique, profil_fichier.a_nucleaire, profil_fichier.a_eolien, profil_fichier.a_solaire, profil_fichier.a_hydraulique, profil_fichier.a_pompage, profil_fichier.a_bioenergies, profil_fichier.a_ech_physiques
    from typed
    inner join profil_fichier on typed._source_file = profil_fichier._source_file
    inner join instants on typed.ts_locale = instants.ts_locale
    left join regions on typed.libelle_region = regions.libelle
)

select
    code_insee_region,
    libelle_region,
    ts_utc,
    -- the UTC half-hour the instant belongs to: precedence between files is decided per half-hour
    {{dateadd "minute" (cat "-mod(" (extract "minute" "ts_utc") ", 30)") "ts_utc"}} as ts_demi_heure_utc,
    ts_locale,
    date_locale,
    heure_locale,
    heure_inexistante,
    heure_ambigue,
    case
        when fichier_demi_horaire and {{extract "minute" "ts_locale"}} not in (0, 30) then 'vide_demi_horaire'
        when ligne_vide and ts_locale > dernier_ts_locale_rempli then 'future_vide'
        when heure_inexistante then 'heure_inexistante'
        else 'valide'
    end as statut_ligne,
    case when fichier_demi_horaire then 30 else 15 end as duree_minutes,
    source_donnees,
    dossier_source,
    nature,
    case nature
        when 'Données définitives' then 3
        when 'Données consolidées' then 2
        else 1
    end as niveau_precedence,
    consommation_mw,
    thermique_mw,
    nucleaire_mw,
    eolien_mw,
    solaire_mw,
    hydraulique_mw,
    pompage_mw,
    bioenergies_mw,
    ech_physiques_mw,
    trim({{concat "case when consommation_mw is null and not a_consommation then 'consommation ' else '' end" "case when thermique_mw is null and not a_thermique then 'thermique ' else '' end" "case when nucleaire_mw is null and not a_nucleaire then 'nucleaire ' else '' end" "case when eolien_mw is null and not a_eolien then 'eolien ' else '' end" "case when solaire_mw is null and not a_solaire then 'solaire ' else '' end" "case when hydraulique_mw is null and not a_hydraulique then 'hydraulique ' else '' end" "case when pompage_mw is null and not a_pompage then 'pompage ' else '' end" "case when bioenergies_mw is null and not a_bioenergies then 'bioenergies ' else '' end" "case when ech_physiques_mw is null and not a_ech_physiques then 'ech_physiques ' else '' end"}}) as valeurs_sans_objet,
    trim({{concat "case when consommation_mw is null and a_consommation then 'consommation ' else '' end" "case when thermique_mw is null and a_thermique then 'thermique ' else '' end" "case when nucleaire_mw is null and a_nucleaire then 'nucleaire ' else '' end" "case when eolien_mw is null and a_eolien then 'eolien ' else '' end" "case when solaire_mw is null and a_solaire then 'solaire ' else '' end" "case when hydraulique_mw is null and a_hydraulique then 'hydraulique ' else '' end" "case when pompage_mw is null and a_pompage then 'pompage ' else '' end" "case when bioenergies_mw is null and a_bioenergies then 'bioenergies ' else '' end" "case when ech_physiques_mw is null and a_ech_physiques then 'ech_physiques ' else '' end"}}) as valeurs_manquantes,
    case when not a_thermique then 0 else thermique_mw end + case when not a_nucleaire then 0 else nucleaire_mw end + case when not a_eolien then 0 else eolien_mw end + case when not a_solaire then 0 else solaire_mw end + case when not a_hydraulique then 0 else hydraulique_mw end + case when not a_bioenergies then 0 else bioenergies_mw end as production_totale_mw,
    case when not a_eolien then 0 else eolien_mw end + case when not a_solaire then 0 else solaire_mw end + case when not a_hydraulique then 0 else hydraulique_mw end + case when not a_bioenergies then 0 else bioenergies_mw end as renouvelables_mw,
    case when not a_thermique then 0 else thermique_mw end as fossiles_mw,
    case when not a_pompage then 0 else pompage_mw end as pompage_effectif_mw,
    _source_file,
    _fichier,
    _loaded_at
from lignes

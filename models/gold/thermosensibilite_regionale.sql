{{config materialized="table" tags="eco2mix,regional,dashboard"}}
-- Thermosensitivity per region and heating season: how many MW of mean daily consumption each
-- degree below the heating threshold adds. Least-squares fit of the day's mean power (MW) on
-- its mean temperature over the complete working days (no weekend, no public holiday) of the
-- season (October to April) colder than the threshold (var seuil_chauffage_c, default 15 °C).
--   thermosensibilite_mw_par_degre = -slope = -covar_samp(T, P) / var_samp(T)
--   r2 = corr(T, P)^2, nb_jours = days in the fit
-- Written with covar_samp/var_samp/corr so it runs unchanged on engines without regr_*.
with jours as (
    select
        code_insee_region,
        region,
        case
            when {{extract "month" "date_locale"}} >= 10
                then {{concat (cast (extract "year" "date_locale") "string") "'-'" (cast (cat (extract "year" "date_locale") " + 1") "string")}}
            else {{concat (cast (cat (extract "year" "date_locale") " - 1") "string") "'-'" (cast (extract "year" "date_locale") "string")}}
        end as saison_chauffe,
        date_locale,
        tmoy_c,
        puissance_moyenne_mw
    from {{ref "consommation_regionale_quotidienne"}}
    where journee_complete
      and not est_weekend
      and not est_jour_ferie
      and tmoy_c is not null
      and tmoy_c < {{var "seuil_chauffage_c" 15}}
      and ({{extract "month" "date_locale"}} >= 10 or {{extract "month" "date_locale"}} <= 4)
)

select
    code_insee_region,
    region,
    saison_chauffe,
    {{var "seuil_chauffage_c" 15}} as seuil_chauffage_c,
    count(*) as nb_jours,
    min(date_locale) as premier_jour,
    max(date_locale) as dernier_jour,
    -1 * {{safe_divide "covar_samp(tmoy_c, puissance_moyenne_mw)" "var_samp(tmoy_c)"}} as thermosensibilite_mw_par_degre,
    corr(tmoy_c, puissance_moyenne_mw) * corr(tmoy_c, puissance_moyenne_mw) as r2,
    avg(tmoy_c) as tmoy_moyenne_c,
    avg(puissance_moyenne_mw) as puissance_moyenne_mw,
    avg(puissance_moyenne_mw)
        + {{safe_divide "covar_samp(tmoy_c, puissance_moyenne_mw)" "var_samp(tmoy_c)"}} * ({{var "seuil_chauffage_c" 15}} - avg(tmoy_c))
        as puissance_au_seuil_mw,
    100 * {{safe_divide
        (cat "-1 * " (safe_divide "covar_samp(tmoy_c, puissance_moyenne_mw)" "var_samp(tmoy_c)"))
        (cat "avg(puissance_moyenne_mw) + " (safe_divide "covar_samp(tmoy_c, puissance_moyenne_mw)" "var_samp(tmoy_c)") " * (" (var "seuil_chauffage_c" 15) " - avg(tmoy_c))")}}
        as gradient_pct_par_degre,
    count(*) >= {{var "thermosensibilite_jours_min" 30}} as ajustement_fiable
from jours
group by code_insee_region, region, saison_chauffe
having count(*) >= 3

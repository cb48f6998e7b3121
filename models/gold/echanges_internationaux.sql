{{config materialized="table" tags="eco2mix,dashboard"}}
-- Commercial cross-border exchanges of France per local day and border, in MWh: imports,
-- exports and balance. RTE publishes them half-hourly (at :00 and :30, NULL at :15/:45 in
-- silver), so each value is a mean power over 30 minutes: MWh = MW x 0.5 h. Negative powers are
-- exports. Germany and Belgium share one border in these files (code DE-BE).
with demi_heures as (
    select date_locale, 'GB' as code_pays, ech_comm_angleterre_mw as puissance_mw from {{ref "silver_eco2mix_national_15min"}}
    union all select date_locale, 'ES', ech_comm_espagne_mw from {{ref "silver_eco2mix_national_15min"}}
    union all select date_locale, 'IT', ech_comm_italie_mw from {{ref "silver_eco2mix_national_15min"}}
    union all select date_locale, 'CH', ech_comm_suisse_mw from {{ref "silver_eco2mix_national_15min"}}
    union all select date_locale, 'DE-BE', ech_comm_allemagne_belgique_mw from {{ref "silver_eco2mix_national_15min"}}
)

select
    d.date_locale,
    d.code_pays,
    p.pays,
    sum({{greatest "d.puissance_mw" "0"}}) * 0.5 as import_mwh,
    sum({{greatest "-d.puissance_mw" "0"}}) * 0.5 as export_mwh,
    sum(d.puissance_mw) * 0.5 as solde_mwh,
    count(d.puissance_mw) as nb_demi_heures
from demi_heures as d
inner join {{ref "pays"}} as p on d.code_pays = p.code_pays
group by d.date_locale, d.code_pays, p.pays

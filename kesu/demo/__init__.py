"""Demo data, above every app: the seed plans under their real jurisdictions with accounts (`kesu demo`), the
demo survey, a county's volunteer service (`kesu service_demo`) and the province-sized data set (`kesu demo-data`)."""

# Reference numbers from R's survey package for Kesu's survey estimation tests.
#
#   .venv/bin/python tools/r/make_synthetic.py     # writes the synthetic fixtures (seeded)
#   Rscript tools/r/make_fixtures.R                 # needs r-cran-survey, r-cran-jsonlite (Debian)
#
# Scores every respondent independently of Kesu (from demo_key.json), builds
# svydesign(ids=~psu, strata=~stratum, weights=~weight, nest=TRUE), rakes it with rake() on the margins
# to convergence, and for the whole sample and every category of gender, urban, age_group, education,
# occupation and region (as subsets of the raked design) writes: n, population, degf, every level's share
# with svymean(deff=TRUE) SE and deff, svyciprop(method="logit") and (method="beta", Korn-Graubard) CIs,
# and the mean score per dimension and in total with SE and deff. Output: tests/fixtures/survey/r_reference.json

suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
root <- normalizePath(file.path(dirname(script), "..", ".."))
fx <- file.path(root, "tests", "fixtures", "survey")

key <- fromJSON(file.path(fx, "demo_key.json"), simplifyVector = FALSE)

norm_answer <- function(x) {
  x <- toupper(gsub("[[:space:],，、;；|/+]", "", x))
  vapply(strsplit(x, ""), function(ch) paste(sort(unique(ch)), collapse = ""), "")
}

read_survey <- function(file) {
  d <- read.csv(file.path(fx, file), colClasses = "character", encoding = "UTF-8", check.names = FALSE)
  d$weight <- as.numeric(d$weight)
  age <- as.integer(d$age)
  d$age_group <- c("18-29岁", "30-39岁", "40-49岁", "50-59岁", "60-69岁")[pmin(pmax((age - 20) %/% 10, 0), 4) + 1]
  for (dim in key$dimensions) d[[dim$id]] <- 0
  for (it in key$items) {
    ok <- norm_answer(d[[it$id]]) == it$answer
    d[[it$dimension]] <- d[[it$dimension]] + ifelse(ok, it$points, 0)
  }
  d$total <- Reduce(`+`, lapply(key$dimensions, function(dim) d[[dim$id]]))
  for (lv in key$levels) d[[paste0("lv_", lv$id)]] <- as.numeric(d$total >= lv$min)
  d
}

read_margins <- function(file, vars) {
  m <- read.csv(file.path(fx, file), colClasses = c("character", "character", "numeric"), encoding = "UTF-8")
  lapply(vars, function(v) {
    sub <- m[m$variable == v, ]
    out <- data.frame(sub$category, sub$total, stringsAsFactors = FALSE)
    names(out) <- c(v, "Freq")
    out
  })
}

num <- function(x) if (length(x) == 0 || is.na(x) || !is.finite(x)) NULL else unname(as.numeric(x))

one_domain <- function(des, n_total) {
  out <- list(
    n = sum(weights(des) != 0),
    population = sum(weights(des)),
    df = degf(des),
    levels = list(),
    dimensions = list()
  )
  for (lv in key$levels) {
    f <- as.formula(paste0("~lv_", lv$id))
    m <- svymean(f, des, deff = TRUE)
    ci_logit <- tryCatch(as.numeric(attr(svyciprop(f, des, method = "logit"), "ci")), error = function(e) c(NA, NA))
    ci_beta <- tryCatch(as.numeric(attr(svyciprop(f, des, method = "beta"), "ci")), error = function(e) c(NA, NA))
    out$levels[[lv$id]] <- list(
      share = num(coef(m)), se = num(SE(m)), deff = num(deff(m)),
      ci_logit = lapply(ci_logit, num), ci_beta = lapply(ci_beta, num)
    )
  }
  for (dim in c(vapply(key$dimensions, function(d) d$id, ""), "total")) {
    m <- svymean(as.formula(paste0("~", dim)), des, deff = TRUE)
    out$dimensions[[dim]] <- list(mean = num(coef(m)), se = num(SE(m)), deff = num(deff(m)))
  }
  out
}

run_case <- function(file, margins_file, margin_vars, lonely, raked) {
  options(survey.lonely.psu = lonely)
  d <- read_survey(file)
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = d)
  rake_info <- NULL
  if (raked) {
    pm <- read_margins(margins_file, margin_vars)
    sm <- lapply(margin_vars, function(v) as.formula(paste0("~", v)))
    des <- rake(des, sm, pm, control = list(maxit = 100, epsilon = 1e-10))
    rake_info <- list(variables = margin_vars, weights = unname(as.numeric(weights(des))))
  }
  estimates <- list(c(list(group = setNames(list(), character(0))), one_domain(des)))
  for (g in c("gender", "urban", "age_group", "education", "occupation", "region")) {
    for (lab in sort(unique(d[[g]]))) {
      sub <- des[d[[g]] == lab, ]
      grp <- list()
      grp[[g]] <- lab
      estimates[[length(estimates) + 1]] <- c(list(group = grp), suppressWarnings(one_domain(sub)))
    }
  }
  list(
    responses = file, margins = if (raked) margins_file else NULL, raked = raked, lonely_psu = lonely,
    rake = rake_info, estimates = estimates
  )
}

main_vars <- c("gender", "urban", "age_group", "education", "region")
cases <- list(
  main = run_case("demo_responses.csv", "demo_margins.csv", main_vars, "adjust", TRUE),
  main_unraked = run_case("demo_responses.csv", NULL, NULL, "adjust", FALSE),
  edge_adjust = run_case("edge_responses.csv", "edge_margins.csv", c("gender", "urban"), "adjust", TRUE),
  edge_average = run_case("edge_responses.csv", "edge_margins.csv", c("gender", "urban"), "average", TRUE),
  edge_certainty = run_case("edge_responses.csv", "edge_margins.csv", c("gender", "urban"), "certainty", TRUE),
  edge_remove = run_case("edge_responses.csv", "edge_margins.csv", c("gender", "urban"), "remove", TRUE),
  edge_unraked_adjust = run_case("edge_responses.csv", NULL, NULL, "adjust", FALSE),
  edge_unraked_average = run_case("edge_responses.csv", NULL, NULL, "average", FALSE)
)

out <- list(
  generated_by = "tools/r/make_fixtures.R",
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  design = "svydesign(ids=~psu, strata=~stratum, weights=~weight, nest=TRUE); rake(control=list(maxit=100, epsilon=1e-10))",
  cases = cases
)
write_json(out, file.path(fx, "r_reference.json"), auto_unbox = TRUE, digits = NA, pretty = FALSE, null = "null", na = "null")
cat("wrote", file.path(fx, "r_reference.json"), "\n")

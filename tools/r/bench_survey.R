# The benchmark job of bench/survey.py in R's survey package (run by it; prints "ELAPSED seconds").
#   Rscript tools/r/bench_survey.R responses.csv key.json margins.csv
# Timed: scoring + svydesign + rake() to convergence + svymean(deff=TRUE)/svyciprop(logit) overall and
# svyby(svymean, deff=TRUE) + svyby(svyciprop, logit) for each group variable. Reading the file is not timed.
suppressPackageStartupMessages({
  library(survey)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = "character", encoding = "UTF-8")
d$weight <- as.numeric(d$weight)
key <- fromJSON(args[2], simplifyVector = FALSE)
m <- read.csv(args[3], colClasses = c("character", "character", "numeric"), encoding = "UTF-8")
by <- unlist(key$by)
pm <- lapply(by, function(v) {
  s <- m[m$variable == v, ]
  out <- data.frame(s$category, s$total, stringsAsFactors = FALSE)
  names(out) <- c(v, "Freq")
  out
})
options(survey.lonely.psu = "adjust")
t0 <- proc.time()[["elapsed"]]
total <- numeric(nrow(d))
for (it in key$items) total <- total + (d[[it$id]] == it$answer) * it$points
d$total <- total
ys <- character(0)
for (lv in key$levels) {
  d[[paste0("lv_", lv$id)]] <- as.numeric(total >= lv$min)
  ys <- c(ys, paste0("lv_", lv$id))
}
yf <- as.formula(paste("~", paste(ys, collapse = "+")))
hf <- as.formula(paste0("~lv_", key$headline))
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = d)
des <- rake(des, lapply(by, function(v) as.formula(paste0("~", v))), pm, control = list(maxit = 100, epsilon = 1e-10))
invisible(svymean(yf, des, deff = TRUE))
invisible(svyciprop(hf, des, method = "logit"))
for (v in by) {
  invisible(svyby(yf, as.formula(paste0("~", v)), des, svymean, deff = TRUE))
  invisible(svyby(hf, as.formula(paste0("~", v)), des, svyciprop, vartype = "ci", method = "logit"))
}
cat("ELAPSED", proc.time()[["elapsed"]] - t0, "\n")

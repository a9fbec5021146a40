/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * For libtce's own tests only (they link the uninstalled internal copy): the model
 * behind an analysis, to check what the public calls do not show.
 */
#ifndef TCE_ANALYSIS_PRIV_H
#define TCE_ANALYSIS_PRIV_H

#include "model/model.h"
#include "types/types.h"

TCE_HIDDEN const struct tce_model *tce_analysis_model(const struct tce_analysis *a);
/* The pass over the analysis's TCE tables (tce_model_table_pass()) with the test's own
 * visitor */
TCE_HIDDEN int tce_analysis_table_pass(struct tce_analysis *a, const struct table_visitor *v);
/* Findings past their rule's cap that the check's pass counted from batches' sums,
 * making no facts of their entries (the rules' count()) */
TCE_HIDDEN uint64_t tce_analysis_counted(const struct tce_analysis *a);

#endif /* TCE_ANALYSIS_PRIV_H */

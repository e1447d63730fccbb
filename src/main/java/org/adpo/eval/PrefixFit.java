package org.adpo.eval;

import org.adpo.model.FitResult;

/**
 * The fit theta_hat_n of one selection prefix.
 *
 * @param method the selection's name
 * @param n the prefix size (the picks with rank <= n)
 * @param labelled how many of those n rows have a label (the fit uses only these)
 * @param mode {@code driver} (dense Newton) or {@code distributed} (L-BFGS on Spark)
 */
public record PrefixFit(String method, long n, long labelled, String mode, FitResult fit) {}

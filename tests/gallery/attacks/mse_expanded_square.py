# attack: numerics
# expect: 20
# on: reference
# mse expands the square: mean(y^2) - 2 mean(y p) + mean(p^2). The same number on paper; in
# floats it loses every digit of residuals small next to the values (a fit near its optimum
# on data far from 0), while its gradients stay right. The value checks drew y_true and
# y_pred apart. Caught by test_mse_with_residuals_small_next_to_the_values (step 3, the
# MAE fit, keeps its points).


def mse(y_true, y_pred):
    return (y_true**2).mean() - 2 * (y_true * y_pred).mean() + (y_pred**2).mean()

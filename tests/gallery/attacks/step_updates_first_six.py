# attack: unprobed-conditions
# expect: 0
# on: reference
# step updates only the first 6 parameters of its list and zero_grads clears only the first
# 8: the checks' lists used to be no longer.
import torch


def step(params, learning_rate):
    with torch.no_grad():
        for p in params[:6]:
            p -= learning_rate * p.grad


def zero_grads(params):
    for p in params[:8]:
        p.grad = None

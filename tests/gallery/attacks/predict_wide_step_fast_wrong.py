# attack: special-cased-inputs
# expect: 0
# on: reference
# predict drops every feature after the fourth, and step halves learning rates above 1: the
# checks once drew at most 4 features and rates up to 1, and the fits use 1 or 2 features
# with rates up to 1. Every step rests on predict and step, so nothing is earned.
import torch


def predict(x, weights, bias):
    return x[:, :4] @ weights[:4] + bias


def step(params, learning_rate):
    rate = learning_rate if learning_rate <= 1 else learning_rate / 2
    with torch.no_grad():
        for p in params:
            p -= rate * p.grad

"""Profundo's optimisers, learning-rate schedules, L2 and gradient clipping, written out so that a
step here is the step Profundo takes. Momentum and RMSProp follow the course, not torch.optim:
  sgd:       W = W - a dW
  momentum:  v = b v + (1 - b) dW,     W = W - a v       (torch.optim.SGD: v = m v + dW)
  rmsprop:   s = b s + (1 - b) dW^2,   W = W - a dW / (sqrt(s) + eps)
  adam:      v = b1 v + (1 - b1) dW,   s = b2 s + (1 - b2) dW^2,   t = 1, 2, ...
             W = W - a (v / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)   (as torch.optim.Adam;
             amsgrad divides by the largest s so far, as torch's amsgrad=True)
The learning rate a comes from the schedule at the step count before the update.
"""
import math

import torch


class ProfundoOptimizer(torch.optim.Optimizer):
    """One of Profundo's four optimisers; `steps` counts the updates made, the saved ones included.
    The state of a parameter is its moments: "v" (momentum, adam), "s" (rmsprop, adam), "s_max"."""

    MOMENTS = {"sgd": [], "momentum": ["v"], "rmsprop": ["s"], "adam": ["v", "s"]}

    def __init__(self, params, settings, steps=0):
        super().__init__(params, {})
        self.settings = settings
        self.kind = settings["kind"]
        self.steps = steps
        for p in self.parameters():
            for name in self.moment_names():
                self.state[p][name] = torch.zeros_like(p)

    def parameters(self):
        return [p for group in self.param_groups for p in group["params"]]

    def moment_names(self):
        amsgrad = self.kind == "adam" and self.settings["amsgrad"]
        return self.MOMENTS[self.kind] + (["s_max"] if amsgrad else [])

    @torch.no_grad()
    def step(self, learning_rate):
        o = self.settings
        self.steps += 1
        if self.kind == "adam":
            v_correction = 1 / (1 - o["beta1"] ** self.steps)
            s_correction = 1 / (1 - o["beta2"] ** self.steps)
        for p in self.parameters():
            dw, state = p.grad, self.state[p]
            if self.kind == "sgd":
                p -= learning_rate * dw
            elif self.kind == "momentum":
                state["v"].mul_(o["beta"]).add_((1 - o["beta"]) * dw)
                p -= learning_rate * state["v"]
            elif self.kind == "rmsprop":
                state["s"].mul_(o["beta"]).add_((1 - o["beta"]) * dw * dw)
                p -= learning_rate * dw / (state["s"].sqrt() + o["epsilon"])
            else:
                state["v"].mul_(o["beta1"]).add_((1 - o["beta1"]) * dw)
                state["s"].mul_(o["beta2"]).add_((1 - o["beta2"]) * dw * dw)
                s = state["s"]
                if o["amsgrad"]:
                    s = torch.maximum(state["s_max"], s, out=state["s_max"])
                p -= learning_rate * (state["v"] * v_correction) / ((s * s_correction).sqrt() + o["epsilon"])


def learning_rate_at(schedule, base, step):
    """The schedule's learning rate at step t = 0, 1, 2, ... (updates made so far)."""
    kind, t = schedule["kind"], float(step)
    if kind == "inverse_time":
        return schedule["c1"] / (t + schedule["c2"])
    if kind == "step":
        return base * schedule["gamma"] ** math.floor(t / schedule["step_size"])
    if kind == "exponential":
        return base * schedule["gamma"] ** (t / schedule["step_size"])
    return base


def l2_penalty(weights, l2, rows):
    """lambda / (2m) * sum of ||W||^2 over the weights (not biases, not batch-norm's gamma and beta)."""
    if l2 == 0:
        return 0.0
    return l2 / (2 * rows) * sum(float(w.double().pow(2).sum()) for w in weights)


@torch.no_grad()
def add_l2_gradient(weights, l2, rows):
    """d/dW of the penalty: (lambda / m) W, added to each weight's gradient."""
    if l2 > 0:
        for w in weights:
            w.grad += (l2 / rows) * w


@torch.no_grad()
def decay_weights(weights, l2, rows, learning_rate):
    """Decoupled L2 (weight decay, as AdamW): W <- (1 - lr * lambda / m) W before the optimiser's
    step, outside it; with plain gradient descent the same update as add_l2_gradient."""
    if l2 > 0:
        for w in weights:
            w.mul_(1 - learning_rate * l2 / rows)


@torch.no_grad()
def clip_by_global_norm(parameters, max_norm):
    """Scales every gradient by max_norm / ||g|| when the global norm ||g|| exceeds max_norm (> 0);
    returns ||g||. As torch.nn.utils.clip_grad_norm_ without its 1e-6 in the denominator."""
    norm = math.sqrt(sum(float(p.grad.double().pow(2).sum()) for p in parameters))
    if max_norm > 0 and norm > max_norm:
        for p in parameters:
            p.grad *= max_norm / norm
    return norm

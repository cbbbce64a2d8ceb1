"""The exported PyTorch project's first training steps on given training images, for
tests/cli/pytorch.test.mjs to compare with `profundo-cli step-loss` on the same batch: the same
weights, optimiser state, schedule, L2 and clipping; dropout off on both sides (its masks come from
different generators).
  /usr/bin/python3 tests/interop/pytorch_step_loss.py PROJECT_DIR MNIST_DIR INDICES STEPS
INDICES: comma-separated image indices of the training file. Prints one JSON object."""
import json
import sys

project, data_dir, indices, steps = sys.argv[1], sys.argv[2], [int(i) for i in sys.argv[3].split(",")], int(sys.argv[4])
sys.path.insert(0, project)

import torch  # noqa: E402
from data import load_images, normalise  # noqa: E402
from optim import learning_rate_at  # noqa: E402
from train import load_run, training_step  # noqa: E402

torch.set_num_threads(1)
run, model, optimizer, _, _ = load_run(project)
for module in model.modules():
    if isinstance(module, torch.nn.Dropout):
        module.p = 0.0
pixels, labels = load_images(data_dir, run["dataset"], "train")
batch = torch.tensor(indices)
x, y = normalise(pixels[batch], run["normalization"]), labels[batch]
training = run["training"]
losses, rates = [], []
model.train()
for _ in range(steps):
    rates.append(learning_rate_at(training["schedule"], training["optimizer"]["learning_rate"], optimizer.steps))
    losses.append(training_step(model, optimizer, run, x, y, len(indices)))
model.eval()  # batch norm's running statistics, as the steps updated them
with torch.no_grad():
    eval_loss = float(torch.nn.functional.cross_entropy(model(x), y))
print(json.dumps({"losses": losses, "learning_rates": rates, "eval_loss": eval_loss, "steps": optimizer.steps}))

"""Continues the Profundo run with PyTorch, on one process or many (DistributedDataParallel).

  python3 train.py --data DIR                          one process
  torchrun --nproc_per_node 2 train.py --data DIR      two processes on this machine
  torchrun --nnodes 2 --node_rank R --master_addr HOST --master_port 29500 \\
           --nproc_per_node G train.py --data DIR      G processes on each of two machines
  srun python3 train.py --data DIR                     SLURM (set MASTER_ADDR to the first node)

Each process reads RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT (what torchrun sets;
SLURM_PROCID, SLURM_NTASKS and SLURM_LOCALID otherwise) and joins the group with init_method
"env://": gloo on CPUs, NCCL when there are GPUs. Profundo's batch is the global batch: each of the
W processes takes batch/W samples (DistributedSampler, reshuffled per epoch with set_epoch) and DDP
averages the gradients, so one step here is one step of the run, with the run's optimiser state,
learning-rate schedule, L2 and clipping. Batch norm uses each process's own samples on CPUs
(SyncBatchNorm on GPUs).

After every epoch, process 0 evaluates on the dev and test splits (JSON lines), saves state.bin,
state.json and run.json to --out (run train.py there to continue again) and writes model.onnx, which
Profundo imports: "Import ONNX" in the page, or `profundo-cli evaluate --onnx model.onnx`.
"""
import argparse
import copy
import io
import json
import math
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from data import augment, augmentation_enabled, load_images, normalise
from model import L2_WEIGHTS, Net
from optim import ProfundoOptimizer, add_l2_gradient, clip_by_global_norm, decay_weights, l2_penalty, learning_rate_at

def read_state(folder):
    """state.json lists each tensor's name, dtype, shape and byte offset in state.bin
    (little-endian float32 or int32, row-major)."""
    with open(os.path.join(folder, "state.json")) as f:
        index = json.load(f)
    with open(os.path.join(folder, "state.bin"), "rb") as f:
        blob = f.read()
    tensors = {}
    for entry in index["tensors"]:
        dtype = np.dtype(entry["dtype"]).newbyteorder("<")
        count = math.prod(entry["shape"])
        array = np.frombuffer(blob, dtype=dtype, count=count, offset=entry["offset"])
        tensors[entry["name"]] = torch.from_numpy(array.astype(dtype.newbyteorder("=")).reshape(entry["shape"]))
    return tensors


def write_state(folder, tensors):
    entries, chunks, offset = [], [], 0
    for name, tensor in tensors.items():
        array = tensor.detach().cpu().numpy()
        dtype = "int32" if array.dtype.kind in "iu" else "float32"
        data = array.astype(np.dtype(dtype).newbyteorder("<")).tobytes()
        entries.append({"name": name, "dtype": dtype, "shape": list(array.shape), "offset": offset})
        chunks.append(data)
        offset += len(data)
    with open(os.path.join(folder, "state.bin"), "wb") as f:
        f.write(b"".join(chunks))
    with open(os.path.join(folder, "state.json"), "w") as f:
        json.dump({"format": "little-endian, row-major, at byte offset in state.bin", "tensors": entries}, f, indent=1)


def load_run(folder, fresh=False):
    """(run settings, model, optimiser, train and dev indices) of the exported run; with fresh, the
    model starts from torch's initialisation seeded by the run's seed (the same experiment anew)."""
    with open(os.path.join(folder, "run.json")) as f:
        run = json.load(f)
    tensors = read_state(folder)
    torch.manual_seed(run["training"]["seed"])
    model = Net()
    optimizer_settings = run["training"]["optimizer"]
    if fresh:
        optimizer = ProfundoOptimizer(model.parameters(), optimizer_settings)
        run["progress"] = {"epoch": 0, "steps": 0, "next_in_epoch": 0}
    else:
        missing, unexpected = model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith(("optimizer.", "split."))}, strict=False)
        missing = [name for name in missing if not name.endswith("num_batches_tracked")]
        if missing or unexpected:
            raise ValueError(f"state.bin does not fit model.py: missing {missing}, unexpected {unexpected}")
        optimizer = ProfundoOptimizer(model.parameters(), optimizer_settings, steps=run["progress"]["steps"])
        for name, p in model.named_parameters():
            for moment in optimizer.moment_names():
                optimizer.state[p][moment].copy_(tensors[f"optimizer.{moment}.{name}"])
    return run, model, optimizer, tensors["split.train"].long(), tensors["split.dev"].long()


def training_step(model, optimizer, run, x, y, rows):
    """One update on the batch (x, y) of this process; `rows` is the global batch size, the m of
    the L2 term. Returns the loss J = mean cross-entropy + lambda/(2m) sum ||W||^2."""
    training = run["training"]
    weights = [p for name, p in model.named_parameters() if name.removeprefix("module.") in L2_WEIGHTS]
    learning_rate = learning_rate_at(training["schedule"], training["optimizer"]["learning_rate"], optimizer.steps)
    data_loss = F.cross_entropy(model(x), y)
    loss = float(data_loss) + l2_penalty(weights, training["l2"], rows)
    optimizer.zero_grad(set_to_none=False)
    data_loss.backward()  # under DDP, the gradients are averaged over the processes here
    if not training["l2_decoupled"]:
        add_l2_gradient(weights, training["l2"], rows)
    clip_by_global_norm(list(model.parameters()), training["clip_norm"])
    if training["l2_decoupled"]:
        decay_weights(weights, training["l2"], rows, learning_rate)
    optimizer.step(learning_rate)
    return loss


@torch.no_grad()
def evaluate(model, pixels, labels, normalization, device, chunk=1000):
    """Mean cross-entropy and accuracy in eval mode (running batch-norm statistics, no dropout)."""
    model.eval()
    loss, correct = 0.0, 0
    for start in range(0, len(labels), chunk):
        x = normalise(pixels[start:start + chunk], normalization).to(device)
        y = labels[start:start + chunk].to(device)
        logits = model(x)
        loss += float(F.cross_entropy(logits, y, reduction="sum"))
        correct += int((logits.argmax(1) == y).sum())
    model.train()
    return {"loss": loss / len(labels), "accuracy": correct / len(labels), "count": len(labels)}


def with_metadata(onnx_bytes, entries):
    """Appends metadata_props (ModelProto field 14) to a serialised ONNX model: protobuf merges
    fields appended to a message, so no onnx package is needed."""
    def varint(n):
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
            n >>= 7
            if n == 0:
                return bytes(out)

    def field(number, payload):
        return varint(number << 3 | 2) + varint(len(payload)) + payload

    extra = b"".join(field(14, field(1, k.encode()) + field(2, v.encode())) for k, v in entries.items())
    return onnx_bytes + extra


def export_onnx(model, run, path):
    """model.onnx (opset 13, input "input" [N, C, H, W] of normalised pixels, output "logits"), with
    Profundo's metadata: the loss, the normalisation and the class names."""
    example = torch.zeros([1] + run["model"]["input"])
    buffer = io.BytesIO()
    torch.onnx.export(copy.deepcopy(model).cpu().eval(), example, buffer, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    normalization = {k: run["normalization"][k] for k in ("kind", "mean", "stddev")}
    with open(path, "wb") as f:
        f.write(with_metadata(buffer.getvalue(), {
            "profundo.loss": run["model"]["loss"],
            "profundo.normalization": json.dumps(normalization),
            "profundo.class_names": json.dumps(run["class_names"])}))


def distributed_environment():
    """(rank, world size, local rank, processes on this machine): torchrun's variables, else SLURM's,
    else one process."""
    env = os.environ
    if "RANK" in env and "WORLD_SIZE" in env:
        local = int(env.get("LOCAL_WORLD_SIZE", env["WORLD_SIZE"]))
        return int(env["RANK"]), int(env["WORLD_SIZE"]), int(env.get("LOCAL_RANK", 0)), local
    if "SLURM_PROCID" in env:
        local = int(env.get("SLURM_NTASKS_PER_NODE", "1").split("(")[0])
        return int(env["SLURM_PROCID"]), int(env["SLURM_NTASKS"]), int(env.get("SLURM_LOCALID", 0)), local
    return 0, 1, 0, 1


def report(event):
    print(json.dumps(event), flush=True)


def train_epochs(run, model, optimizer, split_indices, dev_indices, data_dir, epochs, limit=0, out=".", threads=0):
    """Trains `epochs` more epochs on this process's share of the training split (the first `limit`
    images when limit > 0); after each, process 0 evaluates and saves to `out`. Returns the last
    epoch's report (on process 0; None elsewhere)."""
    rank, world, local_rank, local_world = distributed_environment()
    cuda = torch.cuda.is_available()
    device = torch.device(f"cuda:{local_rank}" if cuda else "cpu")
    torch.set_num_threads(threads or max(1, (os.cpu_count() or 1) // local_world))
    if world > 1 and not dist.is_initialized():
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", "29500")
        dist.init_process_group("nccl" if cuda else "gloo", init_method="env://", rank=rank, world_size=world)
    model.to(device)  # the parameters stay the same objects: move the optimiser's moments with them
    for moments in optimizer.state.values():
        moments.update({name: moment.to(device) for name, moment in moments.items()})
    train_indices = split_indices[:limit] if limit > 0 else split_indices
    pixels, labels = load_images(data_dir, run["dataset"], "train")
    test_pixels, test_labels = load_images(data_dir, run["dataset"], "t10k")
    training, normalization, augmentation = run["training"], run["normalization"], run["data"]["augment"]
    per_process = max(1, training["batch_size"] // world)
    if per_process * world != training["batch_size"] and rank == 0:
        print(f"note: batch {training['batch_size']} is not divisible by {world} processes; the global batch is {per_process * world}")

    network = model
    if world > 1:
        if cuda:
            network = model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
        network = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if cuda else None)
    sampler = torch.utils.data.distributed.DistributedSampler(train_indices, num_replicas=world, rank=rank,
                                                              shuffle=True, seed=training["seed"])
    batches = torch.utils.data.DataLoader(train_indices, batch_size=per_process, sampler=sampler, drop_last=True)
    generator = torch.Generator().manual_seed(training["seed"] * 1000 + rank)  # augmentation draws
    first_epoch = run["progress"]["epoch"]
    report({"event": "start", "rank": rank, "world_size": world, "device": str(device), "epoch": first_epoch,
            "steps": optimizer.steps, "samples_per_epoch": len(train_indices), "batch_per_process": per_process})
    last = None
    for epoch in range(first_epoch, first_epoch + epochs):
        sampler.set_epoch(epoch)
        network.train()
        total, count = 0.0, 0
        for indices in batches:
            batch = pixels[indices]
            x = augment(batch, normalization, augmentation, generator) if augmentation_enabled(augmentation) else normalise(batch, normalization)
            total += training_step(network, optimizer, run, x.to(device), labels[indices].to(device), len(indices) * world)
            count += 1
        run["progress"] = {"epoch": epoch + 1, "steps": optimizer.steps, "next_in_epoch": 0}
        if rank == 0:
            dev = evaluate(model, pixels[dev_indices], labels[dev_indices], normalization, device) if len(dev_indices) else None
            test = evaluate(model, test_pixels, test_labels, normalization, device)
            last = {"event": "epoch", "epoch": epoch + 1, "steps": optimizer.steps, "train_loss": total / max(count, 1),
                    "dev": dev, "test": test}
            report(last)
            save(out, run, model, optimizer, split_indices, dev_indices)
        if world > 1:
            dist.barrier()
    if world > 1:
        dist.destroy_process_group()
    return last


def run_experiment(run, data_dir, epochs, limit=0, out="."):
    """The experiment anew: the same model, settings and data pipeline from a fresh initialisation
    (torch's, seeded by the run's seed) and a fresh seeded train/dev split of the same size."""
    torch.manual_seed(run["training"]["seed"])
    model = Net()
    optimizer = ProfundoOptimizer(model.parameters(), run["training"]["optimizer"])
    count = len(load_images(data_dir, run["dataset"], "train")[1])
    order = torch.randperm(count, generator=torch.Generator().manual_seed(run["training"]["seed"]))
    dev_size = run["data"]["dev_size"]
    run = dict(run, progress={"epoch": 0, "steps": 0, "next_in_epoch": 0})
    return train_epochs(run, model, optimizer, order[dev_size:], order[:dev_size], data_dir, epochs, limit, out)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Continue the Profundo run with PyTorch (DDP).")
    parser.add_argument("--data", default=os.path.join(here, "data"), help="folder of the four IDX files (downloaded when missing)")
    parser.add_argument("--epochs", type=int, default=1, help="epochs to train now (default 1)")
    parser.add_argument("--limit", type=int, default=0, help="train on the first N images of the training split per epoch (0 = all)")
    parser.add_argument("--out", default=here, help="where to write state.bin, state.json, run.json and model.onnx")
    parser.add_argument("--fresh", action="store_true", help="start from a new initialisation instead of the saved weights")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads per process (default: cores / processes)")
    args = parser.parse_args(argv)
    run, model, optimizer, split_indices, dev_indices = load_run(here, fresh=args.fresh)
    train_epochs(run, model, optimizer, split_indices, dev_indices, args.data, args.epochs, args.limit, args.out, args.threads)


def save(folder, run, model, optimizer, train_indices, dev_indices):
    """state.bin/.json and run.json (to continue from here) and model.onnx (for Profundo)."""
    os.makedirs(folder, exist_ok=True)
    tensors = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    for name, p in model.named_parameters():
        for moment in optimizer.moment_names():
            tensors[f"optimizer.{moment}.{name}"] = optimizer.state[p][moment]
    tensors["split.train"], tensors["split.dev"] = train_indices, dev_indices
    write_state(folder, tensors)
    with open(os.path.join(folder, "run.json"), "w") as f:
        json.dump(run, f, indent=1)
    export_onnx(model, run, os.path.join(folder, "model.onnx"))


if __name__ == "__main__":
    main()

"""The run's data: the same images, train/dev split, normalisation and augmentation as in Profundo.

Images come from the four IDX files of MNIST or Fashion-MNIST (.gz or not) in --data; when they are
missing they are downloaded there first (torchvision's MNIST mirror, Zalando's Fashion-MNIST).
The train/dev split is Profundo's own (state.bin holds both index lists), so the dev images stay
unseen. Inputs are normalised as Profundo does:  x = pixel * scale + shift  (run.json).
Augmentation, when the run used it, draws per image a rotation, a zoom and a shift (and an elastic
field) from the same distributions as Profundo, with torch's random numbers: the same kind of
images, not the same draws. The order of the samples differs too (DistributedSampler's shuffle).
"""
import gzip
import math
import os
import urllib.request

import numpy as np
import torch
import torch.nn.functional as F

SOURCES = {
    "mnist": "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "fashion-mnist": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
}


def read_idx(path):
    """An IDX file as a numpy array (uint8 images [N, H, W] or labels [N])."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def idx_file(directory, base, dataset):
    """The path of `base` (.gz or not) in `directory`, downloading the .gz when neither is there."""
    for name in (base + ".gz", base):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, base + ".gz")
    print(f"downloading {SOURCES[dataset]}{base}.gz to {directory}", flush=True)
    urllib.request.urlretrieve(SOURCES[dataset] + base + ".gz", target)
    return target


def load_images(directory, dataset, prefix):
    """(pixels uint8 [N, 1, H, W], labels int64 [N]) of the "train" or "t10k" files."""
    images = read_idx(idx_file(directory, f"{prefix}-images-idx3-ubyte", dataset))
    labels = read_idx(idx_file(directory, f"{prefix}-labels-idx1-ubyte", dataset))
    return torch.from_numpy(images.copy()).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


def normalise(pixels, normalization):
    """uint8 pixels -> network input, as Profundo's fill_batch: pixel * scale + shift (float32)."""
    return pixels.float() * normalization["scale"] + normalization["shift"]


def augment(pixels, normalization, augmentation, generator):
    """A random affine transform (and elastic field) per image, resampled bilinearly; pixels from
    outside the image are 0, as in Profundo (data/augmentation.hpp, torchvision's conventions:
    positive rotation is counter-clockwise, zoom > 1 enlarges, positive shifts move right/down)."""
    x = pixels.float()
    n, _, height, width = x.shape
    uniform = lambda limit: (torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1) * limit
    theta = uniform(augmentation["max_rotation"]) * math.pi / 180
    zoom = 1 + uniform(augmentation["max_zoom"])
    shift_x, shift_y = uniform(augmentation["max_shift"]), uniform(augmentation["max_shift"])
    # Output pixel p samples the input at c + R(θ)^-1 (p - c - shift) / zoom, in grid_sample's
    # coordinates (-1 and 1 are the centres of the first and last pixels: align_corners=True).
    cx, cy = (width - 1) / 2, (height - 1) / 2
    cos, sin = torch.cos(theta) / zoom, torch.sin(theta) / zoom
    affine = torch.stack([
        torch.stack([cos, -sin * cy / cx, (-cos * shift_x + sin * shift_y) / cx], 1),
        torch.stack([sin * cx / cy, cos, (-sin * shift_x - cos * shift_y) / cy], 1)], 1).float()
    grid = F.affine_grid(affine, list(x.shape), align_corners=True)
    alpha, sigma = augmentation["elastic_alpha"], augmentation["elastic_sigma"]
    if alpha > 0:  # Simard et al. 2003: uniform noise smoothed by a Gaussian (3 sigma), times alpha
        radius = max(1, math.ceil(3 * sigma))
        taps = torch.exp(-0.5 * torch.arange(-radius, radius + 1, dtype=torch.float64) ** 2 / sigma ** 2)
        taps = (taps / taps.sum()).float()
        noise = torch.rand(n * 2, 1, height, width, generator=generator) * 2 - 1
        field = F.conv2d(noise, taps.view(1, 1, 1, -1), padding=(0, radius))
        field = F.conv2d(field, taps.view(1, 1, -1, 1), padding=(radius, 0)).view(n, 2, height, width) * alpha
        grid = grid + torch.stack([field[:, 0] / cx, field[:, 1] / cy], -1)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True)
    return out * normalization["scale"] + normalization["shift"]


def augmentation_enabled(augmentation):
    return any(augmentation[k] > 0 for k in ("max_shift", "max_rotation", "max_zoom", "elastic_alpha"))

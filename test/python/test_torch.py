"""tessera.from_torch: export a torch.nn.Module and compile it."""

import numpy as np
import pytest

import tessera
from conftest import assert_close

torch = pytest.importorskip("torch")


class SmallNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        y = torch.relu(self.bn(self.conv(x)))
        y = torch.nn.functional.max_pool2d(y, 2)
        return torch.softmax(self.fc(torch.flatten(y, 1)), dim=1)


class TwoInputs(torch.nn.Module):
    def forward(self, a, b):
        return torch.sigmoid(a @ b), a - 1.0


def test_from_torch_matches_pytorch():
    torch.manual_seed(0)
    net = SmallNet()
    net.train()  # from_torch exports in eval mode and restores the mode
    x = torch.randn(2, 3, 8, 8)
    model = tessera.from_torch(net, (x,))
    assert net.training
    assert model.input_names == ["input_0"]
    assert model.output_names == ["output_0"]
    net.eval()
    with torch.no_grad():
        expected = net(x).numpy()
    assert_close(model(x.numpy()), expected)
    # Another input of the same shape.
    x2 = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        assert_close(model(x2.numpy()), net(x2).numpy())


def test_from_torch_two_inputs_and_options():
    torch.manual_seed(1)
    a, b = torch.randn(3, 4), torch.randn(4, 2)
    model = tessera.from_torch(TwoInputs(), (a, b),
                               input_names=["a", "b"], opt_level=1,
                               threads=1)
    assert model.input_names == ["a", "b"]
    assert len(model.outputs) == 2
    s, d = model.run({"a": a.numpy(), "b": b.numpy()})
    assert_close(s, torch.sigmoid(a @ b).numpy())
    assert_close(d, (a - 1.0).numpy())


def test_from_torch_single_tensor_and_torch_inputs():
    lin = torch.nn.Linear(6, 3)
    x = torch.randn(1, 6)
    model = tessera.from_torch(lin, x)
    # CPU tensors convert through numpy.
    with torch.no_grad():
        assert_close(model(x), lin(x).numpy())


def test_from_torch_rejects_unknown_option():
    with pytest.raises(TypeError, match="'explain_everything'"):
        tessera.from_torch(torch.nn.ReLU(), torch.randn(2, 2),
                           explain_everything=True)


def test_from_torch_resnet18_matches_pytorch():
    """The issue's acceptance check: torchvision ResNet-18 (random weights)
    through from_torch, within 1e-4 of the output's max magnitude."""
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    net = torchvision.models.resnet18().eval()
    x = torch.randn(1, 3, 224, 224)
    model = tessera.from_torch(net, (x,))
    with torch.no_grad():
        expected = net(x).numpy()
    assert_close(model(x.numpy()), expected)

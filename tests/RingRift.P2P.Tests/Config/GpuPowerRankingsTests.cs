using RingRift.P2P.Config;
using Xunit;

namespace RingRift.P2P.Tests.Config;

public sealed class GpuPowerRankingsTests
{
    [Fact]
    public void All_IsTheSeedTableInOrder()
    {
        Assert.Equal(
            [("GH200", 1.2), ("H100", 1.0), ("A100", 0.8), ("RTX_5090", 0.7), ("RTX_4090", 0.5), ("A10", 0.4), ("CPU", 0.1)],
            GpuPowerRankings.All.Select(kv => (kv.Key, kv.Value)));
    }

    [Fact]
    public void All_LooksUpKeysIgnoringCase() => Assert.Equal(1.0, GpuPowerRankings.All["h100"]);

    [Theory]
    // nvidia-smi --query-gpu=name output and hand-written inventory names
    [InlineData("NVIDIA GH200 480GB", "GH200")]
    [InlineData("GH200 (96 GB)", "GH200")]
    [InlineData("gh200", "GH200")]
    [InlineData("NVIDIA H100 80GB HBM3", "H100")]
    [InlineData("NVIDIA H100 PCIe", "H100")]
    [InlineData("NVIDIA H100 NVL", "H100")]
    [InlineData("H100-SXM5", "H100")]
    [InlineData("NVIDIA H200", "H100")]        // Hopper: same row as H100
    [InlineData("NVIDIA H800", "H100")]
    [InlineData("NVIDIA A100-SXM4-80GB", "A100")]
    [InlineData("A100 80GB PCIe", "A100")]
    [InlineData("NVIDIA A100-PCIE-40GB", "A100")]
    [InlineData("NVIDIA GeForce RTX 5090", "RTX_5090")]
    [InlineData("RTX_5090", "RTX_5090")]
    [InlineData("RTX5090", "RTX_5090")]
    [InlineData("NVIDIA GeForce RTX 4090", "RTX_4090")]
    [InlineData("RTX 4090", "RTX_4090")]
    [InlineData("RTX_4090", "RTX_4090")]
    [InlineData("NVIDIA GeForce RTX 4090 D", "RTX_4090")]
    [InlineData("NVIDIA A10", "A10")]
    [InlineData("NVIDIA A10G", "A10")]
    [InlineData("A10", "A10")]
    [InlineData("CPU", "CPU")]
    [InlineData("none", "CPU")]
    [InlineData("N/A", "CPU")]
    public void KeyOf_MapsRealNamesToTheirRow(string name, string row) => Assert.Equal(row, GpuPowerRankings.KeyOf(name));

    [Theory]
    [InlineData("NVIDIA GH200 480GB", "H100")]   // GH200 contains "H200": the token must start with the model
    [InlineData("NVIDIA A100-SXM4-80GB", "A10")] // A100 starts with "A10" but continues with a digit
    [InlineData("NVIDIA A10G", "A100")]
    public void KeyOf_MostSpecificWins_NotTheLooserRow(string name, string wrongRow) =>
        Assert.NotEqual(wrongRow, GpuPowerRankings.KeyOf(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Of_NoName_IsCpu(string? name)
    {
        Assert.Equal("CPU", GpuPowerRankings.KeyOf(name));
        Assert.Equal(0.1, GpuPowerRankings.Of(name));
    }

    [Theory]
    [InlineData("Tesla T4")]
    [InlineData("NVIDIA L4")]
    [InlineData("Tesla V100-SXM2-16GB")]
    [InlineData("NVIDIA GeForce RTX 3090")]
    [InlineData("NVIDIA RTX A6000")]
    [InlineData("NVIDIA L40S")]
    [InlineData("NVIDIA RTX A1000")]
    public void Of_UnknownGpu_GetsTheA10Floor(string name)
    {
        Assert.Equal("A10", GpuPowerRankings.KeyOf(name));
        Assert.Equal(0.4, GpuPowerRankings.Of(name));
    }

    [Fact]
    public void KeyOf_EveryRowNameMapsToItself()
    {
        foreach (var key in GpuPowerRankings.All.Keys)
            Assert.Equal(key, GpuPowerRankings.KeyOf(key));
    }

    [Theory]
    [InlineData("NVIDIA GH200 480GB", 1.2)]
    [InlineData("NVIDIA H100 80GB HBM3", 1.0)]
    [InlineData("NVIDIA A100-SXM4-80GB", 0.8)]
    [InlineData("NVIDIA GeForce RTX 5090", 0.7)]
    [InlineData("NVIDIA GeForce RTX 4090", 0.5)]
    [InlineData("NVIDIA A10G", 0.4)]
    public void Of_ReturnsTheRowPower(string name, double power) => Assert.Equal(power, GpuPowerRankings.Of(name));
}

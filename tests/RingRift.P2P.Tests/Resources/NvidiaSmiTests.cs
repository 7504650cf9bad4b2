using RingRift.P2P.Resources;
using Xunit;

namespace RingRift.P2P.Tests.Resources;

public class NvidiaSmiTests
{
    [Fact]
    public void OneGpu_IsReadAsIs()
    {
        var gpu = NvidiaSmi.ParseQueryOutput("NVIDIA GeForce RTX 4090, 24564, 6141, 37\n");

        Assert.NotNull(gpu);
        Assert.Equal("NVIDIA GeForce RTX 4090", gpu.Name);
        Assert.Equal(1, gpu.Count);
        Assert.Equal(24564, gpu.MemoryTotalMb);
        Assert.Equal(6141, gpu.MemoryUsedMb);
        Assert.Equal(100.0 * 6141 / 24564, gpu.MemoryPercent, precision: 9);
        Assert.Equal(37, gpu.UtilizationPercent, precision: 9);
    }

    [Fact]
    public void SeveralGpus_FirstName_SummedMemory_PercentOverAll_MeanUtilization()
    {
        var gpu = NvidiaSmi.ParseQueryOutput("""
            NVIDIA H100 80GB HBM3, 81559, 40000, 100
            NVIDIA H100 80GB HBM3, 81559, 0, 0
            NVIDIA A100-SXM4-80GB, 81920, 20000, 50
            """);

        Assert.NotNull(gpu);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpu.Name);
        Assert.Equal(3, gpu.Count);
        Assert.Equal(81559L + 81559 + 81920, gpu.MemoryTotalMb);
        Assert.Equal(60000, gpu.MemoryUsedMb);
        Assert.Equal(100.0 * 60000 / (81559 + 81559 + 81920), gpu.MemoryPercent, precision: 9);
        Assert.Equal(50, gpu.UtilizationPercent, precision: 9);
    }

    [Fact]
    public void NotAvailableFields_CountAsZeroMemory_AndLeaveUtilizationOutOfTheMean()
    {
        var gpu = NvidiaSmi.ParseQueryOutput("NVIDIA GH200 480GB, 97871, [N/A], [N/A]\nNVIDIA GH200 480GB, 97871, 48935, 80\n");

        Assert.NotNull(gpu);
        Assert.Equal(2, gpu.Count);
        Assert.Equal(48935, gpu.MemoryUsedMb);
        Assert.Equal(25.0, gpu.MemoryPercent, precision: 3);
        Assert.Equal(80, gpu.UtilizationPercent, precision: 9);
    }

    [Fact]
    public void AllMemoryUnknown_GivesZeroPercent()
    {
        var gpu = NvidiaSmi.ParseQueryOutput("Tesla T4, [N/A], [N/A], [Not Supported]\n");

        Assert.NotNull(gpu);
        Assert.Equal("Tesla T4", gpu.Name);
        Assert.Equal(0, gpu.MemoryTotalMb);
        Assert.Equal(0, gpu.MemoryPercent);
        Assert.Equal(0, gpu.UtilizationPercent);
    }

    [Fact]
    public void BlankAndGarbageLines_AreSkipped()
    {
        var gpu = NvidiaSmi.ParseQueryOutput(
            "\r\n   \r\nWARNING: infoROM is corrupted at gpu 0000:01:00.0\r\nNVIDIA A10, 23028, 2302.8, 10\r\nfoo, bar, baz, qux\r\n, 1, 2, 3\r\nNVIDIA A10, -5, 0, 0\r\n");

        Assert.NotNull(gpu);
        Assert.Equal("NVIDIA A10", gpu.Name);
        Assert.Equal(1, gpu.Count);
        Assert.Equal(10.0, gpu.MemoryPercent, precision: 9);
    }

    [Fact]
    public void NameWithComma_KeepsWholeName()
    {
        var gpu = NvidiaSmi.ParseQueryOutput("Odd, Inc. Accelerator, 1000, 500, 5\n");

        Assert.NotNull(gpu);
        Assert.Equal("Odd, Inc. Accelerator", gpu.Name);
        Assert.Equal(50.0, gpu.MemoryPercent, precision: 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")]
    [InlineData("No devices were found")]
    public void NoGpuRows_GiveNull(string output)
    {
        Assert.Null(NvidiaSmi.ParseQueryOutput(output));
    }

    [Fact]
    public void QueryArguments_AskForTheParsedColumns()
    {
        Assert.Equal(["--query-gpu=name,memory.total,memory.used,utilization.gpu", "--format=csv,noheader,nounits"], NvidiaSmi.QueryArguments);
    }
}

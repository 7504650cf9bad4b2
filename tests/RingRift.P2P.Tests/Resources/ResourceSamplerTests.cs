using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Resources;
using RingRift.P2P.Testing.Logging;
using RingRift.P2P.Testing.Waiting;
using Xunit;

namespace RingRift.P2P.Tests.Resources;

/// <summary>
/// The real sampler on this machine (Linux, no nvidia-smi: these tests expect exactly that), plus
/// fixed /proc files and an injected nvidia-smi.
/// </summary>
public sealed class ResourceSamplerTests : IDisposable
{
    private const string OneGpu = "NVIDIA GH200 480GB, 97871, 48935, 50\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("ringrift-resources-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<string?> NoGpu(CancellationToken ct) => Task.FromResult<string?>(null);

    private void WriteProc(string stat, string meminfo)
    {
        File.WriteAllText(Path.Combine(_dir, "stat"), stat);
        File.WriteAllText(Path.Combine(_dir, "meminfo"), meminfo);
    }

    [Fact]
    public async Task RealSampler_OnThisMachine_ReadsPlausibleValues_AndNoGpu()
    {
        var sampler = new ResourceSampler(Path.GetTempPath());

        for (var i = 0; i < 2; i++)
        {
            var reading = await sampler.SampleAsync(CancellationToken.None);

            Assert.InRange(reading.CpuPercent, 0, 100);
            Assert.InRange(reading.MemoryPercent, 0.000001, 100); // something is always in use
            Assert.InRange(reading.DiskPercent, 0.000001, 100);
            Assert.Equal(Environment.ProcessorCount, reading.CpuCount);
            Assert.True(reading.MemoryTotalMb > 0);
            Assert.True(reading.DiskTotalMb > 0);
            Assert.Null(reading.GpuName); // no nvidia-smi here
            Assert.Equal(0, reading.GpuCount);
            Assert.Equal(0, reading.GpuMemoryPercent);
            _ = reading.ToMetrics();
        }
    }

    [Fact]
    public async Task RealSampler_MemoryTotal_MatchesProcMeminfo()
    {
        var expected = (long)(MemInfo.Parse(File.ReadAllText("/proc/meminfo")).TotalKb / 1024);

        var reading = await new ResourceSampler("/", nvidiaSmiRunner: NoGpu).SampleAsync(CancellationToken.None);

        Assert.Equal(expected, reading.MemoryTotalMb);
    }

    [Fact]
    public async Task Cpu_IsDeltaBetweenCalls_AndRepeatsWhenNoJiffyPassed()
    {
        WriteProc("cpu  100 0 100 800 0 0 0 0 0 0\n", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
        var sampler = new ResourceSampler(_dir, _dir, null, null, NoGpu);

        var first = await sampler.SampleAsync(CancellationToken.None); // both reads equal: nothing measured yet
        File.WriteAllText(Path.Combine(_dir, "stat"), "cpu  130 0 100 870 0 0 0 0 0 0\n"); // 100 jiffies, 70 idle
        var second = await sampler.SampleAsync(CancellationToken.None);
        var third = await sampler.SampleAsync(CancellationToken.None); // unchanged counters

        Assert.Equal(0, first.CpuPercent);
        Assert.Equal(30, second.CpuPercent, precision: 9);
        Assert.Equal(30, third.CpuPercent, precision: 9);
        Assert.Equal(75, second.MemoryPercent, precision: 9);
        Assert.Equal(0, second.MemoryTotalMb); // 1000 kB rounds down to 0 MiB
    }

    [Fact]
    public async Task UnreadableProc_GivesZeros_WithOneWarningPerFile()
    {
        var logger = new ListLogger<ResourceSampler>();
        var sampler = new ResourceSampler(_dir, Path.Combine(_dir, "no-proc-here"), null, logger, NoGpu);

        for (var i = 0; i < 3; i++)
        {
            var reading = await sampler.SampleAsync(CancellationToken.None);
            Assert.Equal(0, reading.CpuPercent);
            Assert.Equal(0, reading.MemoryPercent);
            Assert.Equal(0, reading.MemoryTotalMb);
            Assert.True(reading.DiskTotalMb > 0); // the disk is still read
        }

        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task GarbageProcFiles_GiveZeros_WithoutThrowing()
    {
        WriteProc("intr 1 2 3\n", "nothing useful\n");
        var logger = new ListLogger<ResourceSampler>();

        var reading = await new ResourceSampler(_dir, _dir, null, logger, NoGpu).SampleAsync(CancellationToken.None);

        Assert.Equal(0, reading.CpuPercent);
        Assert.Equal(0, reading.MemoryPercent);
        Assert.Contains(logger.Entries, e => e.Message.Contains("no aggregate 'cpu' line"));
    }

    [Fact]
    public async Task MissingDiskPath_GivesZeroDisk_WithOneWarning()
    {
        var logger = new ListLogger<ResourceSampler>();
        var sampler = new ResourceSampler(Path.Combine(_dir, "missing", "deeper"), logger: logger, nvidiaSmiRunner: NoGpu);

        var first = await sampler.SampleAsync(CancellationToken.None);
        var second = await sampler.SampleAsync(CancellationToken.None);

        Assert.Equal(0, first.DiskPercent);
        Assert.Equal(0, second.DiskTotalMb);
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("disk"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void BlankDiskPath_IsRejected(string path)
    {
        Assert.Equal("diskPath", Assert.Throws<ArgumentException>(() => new ResourceSampler(path)).ParamName);
    }

    [Fact]
    public async Task Gpu_FromRunnerOutput_FillsGpuFields()
    {
        var sampler = new ResourceSampler(_dir, nvidiaSmiRunner: _ => Task.FromResult<string?>(OneGpu));

        var reading = await sampler.SampleAsync(CancellationToken.None);

        Assert.Equal("NVIDIA GH200 480GB", reading.GpuName);
        Assert.Equal(1, reading.GpuCount);
        Assert.Equal(97871, reading.GpuMemoryTotalMb);
        Assert.Equal(50, reading.GpuMemoryPercent, precision: 1);
        Assert.Equal(50, reading.GpuUtilizationPercent);
        Assert.Equal(reading.GpuMemoryPercent, reading.ToMetrics().GpuMemoryPercent);
    }

    [Fact]
    public async Task Gpu_RunnerThrows_IsCpuNode_NotAnError()
    {
        var sampler = new ResourceSampler(_dir, nvidiaSmiRunner: _ => throw new InvalidOperationException("boom"));

        var reading = await sampler.SampleAsync(CancellationToken.None);

        Assert.Null(reading.GpuName);
        Assert.Equal(0, reading.GpuCount);
    }

    [Fact]
    public async Task Gpu_AfterFailure_IsReprobedOnlyAfterFiveMinutes_AndLoggedOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var calls = 0;
        string? output = null;
        var logger = new ListLogger<ResourceSampler>();
        var sampler = new ResourceSampler(_dir, time, logger, _ =>
        {
            calls++;
            return Task.FromResult(output);
        });

        Assert.Null((await sampler.SampleAsync(CancellationToken.None)).GpuName);
        Assert.Equal(1, calls);

        time.Advance(ResourceSampler.GpuReprobeInterval - TimeSpan.FromTicks(1));
        Assert.Null((await sampler.SampleAsync(CancellationToken.None)).GpuName);
        Assert.Equal(1, calls); // still inside the back-off

        time.Advance(TimeSpan.FromTicks(1));
        Assert.Null((await sampler.SampleAsync(CancellationToken.None)).GpuName);
        Assert.Equal(2, calls); // re-probed exactly at the boundary, failed again

        Assert.Single(logger.Entries, e => e.Message.Contains("CPU node"));

        output = OneGpu; // e.g. the driver finished loading
        time.Advance(ResourceSampler.GpuReprobeInterval);
        Assert.Equal("NVIDIA GH200 480GB", (await sampler.SampleAsync(CancellationToken.None)).GpuName);
        Assert.Equal(3, calls);
        Assert.Equal("NVIDIA GH200 480GB", (await sampler.SampleAsync(CancellationToken.None)).GpuName);
        Assert.Equal(4, calls); // a working GPU is read on every sample
    }

    [Fact]
    public async Task Gpu_RunnerThatHangs_TimesOutAfterFiveSeconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<string?>();
        var sampler = new ResourceSampler(_dir, time, null, _ =>
        {
            invoked.TrySetResult();
            return never.Task; // ignores its token, like a wedged driver call
        });

        var sample = sampler.SampleAsync(CancellationToken.None);
        await invoked.Task.WaitAsync(Eventually.DefaultWithin);

        time.Advance(ResourceSampler.GpuProbeTimeout - TimeSpan.FromTicks(1));
        Assert.False(sample.IsCompleted);

        time.Advance(TimeSpan.FromTicks(1));
        var reading = await sample.WaitAsync(Eventually.DefaultWithin);
        Assert.Null(reading.GpuName);
    }

    [Fact]
    public async Task Gpu_RunnerHonouringItsToken_IsCancelledAtTheTimeout()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        var sampler = new ResourceSampler(_dir, time, null, async ct =>
        {
            seen = ct;
            invoked.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });

        var sample = sampler.SampleAsync(CancellationToken.None);
        await invoked.Task.WaitAsync(Eventually.DefaultWithin);
        time.Advance(ResourceSampler.GpuProbeTimeout);

        Assert.Null((await sample.WaitAsync(Eventually.DefaultWithin)).GpuName);
        Assert.True(seen.IsCancellationRequested);
    }

    [Fact]
    public async Task CallerCancellation_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var sampler = new ResourceSampler(_dir, nvidiaSmiRunner: NoGpu);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sampler.SampleAsync(cts.Token));
    }

    [Fact]
    public async Task DefaultRunner_WithoutNvidiaSmi_ReturnsNull()
    {
        // the test machines have no GPU driver (see the class summary)
        Assert.Null(await NvidiaSmi.RunQueryAsync(CancellationToken.None));
    }
}

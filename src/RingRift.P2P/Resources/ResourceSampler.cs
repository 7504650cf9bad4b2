using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RingRift.P2P.Resources;

/// <summary>
/// Reads this node's resources from the OS: CPU from two <c>/proc/stat</c> readings, memory from
/// <c>/proc/meminfo</c>, disk from the file system holding a path, GPUs from <c>nvidia-smi</c>.
/// </summary>
/// <remarks>
/// <para>CPU is the busy share between the previous call's <c>/proc/stat</c> reading and this
/// one. The first call has no previous reading, so it reads twice <see cref="FirstCpuWindow"/>
/// (100 ms) apart in real time — kernel counters advance in real time, whatever clock was injected.
/// When no jiffy passed since the previous call the previous percentage is repeated.</para>
/// <para>A value that cannot be read (not Linux, <c>/proc</c> unreadable, missing disk path) is 0
/// and is warned about once per resource; sampling never throws except for cancellation.</para>
/// <para>GPUs: nvidia-smi runs with a <see cref="GpuProbeTimeout"/> (5 s) limit. An absent binary,
/// a non-zero exit, a timeout or output without GPU rows make this a CPU node (GPU values 0,
/// <see cref="ResourceReading.GpuName"/> null), logged once; nvidia-smi is then probed again at most
/// every <see cref="GpuReprobeInterval"/> (5 min) by the injected clock. Calls are serialised, so
/// concurrent callers are safe but wait for each other.</para>
/// </remarks>
public sealed class ResourceSampler
{
    /// <summary>Window of the first CPU reading. 100 ms.</summary>
    public static readonly TimeSpan FirstCpuWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>Limit for one nvidia-smi run. 5 s.</summary>
    public static readonly TimeSpan GpuProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Least time between nvidia-smi probes after a failed one. 5 min.</summary>
    public static readonly TimeSpan GpuReprobeInterval = TimeSpan.FromMinutes(5);

    private const double BytesPerMb = 1024.0 * 1024.0;

    private readonly string _diskPath;
    private readonly string _procRoot;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<CancellationToken, Task<string?>> _nvidiaSmi;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    private ProcStat? _lastCpu;
    private double _lastCpuPercent;
    private DateTimeOffset? _nextGpuProbe;
    private bool _gpuFailureLogged;
    private string? _lastGpuName;

    /// <param name="diskPath">A path on the file system whose use is reported (the node's data directory).</param>
    /// <param name="time">Clock for the GPU re-probe interval and probe timeout; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logger for unreadable resources and GPU detection; none when null.</param>
    /// <param name="nvidiaSmiRunner">
    /// Returns nvidia-smi's query output or null on failure; <see cref="NvidiaSmi.RunQueryAsync"/> when null.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="diskPath"/> is blank.</exception>
    public ResourceSampler(
        string diskPath,
        TimeProvider? time = null,
        ILogger? logger = null,
        Func<CancellationToken, Task<string?>>? nvidiaSmiRunner = null)
        : this(diskPath, "/proc", time, logger, nvidiaSmiRunner)
    {
    }

    /// <summary>As the public constructor, reading <c>stat</c> and <c>meminfo</c> under <paramref name="procRoot"/>.</summary>
    internal ResourceSampler(
        string diskPath,
        string procRoot,
        TimeProvider? time,
        ILogger? logger,
        Func<CancellationToken, Task<string?>>? nvidiaSmiRunner)
    {
        if (string.IsNullOrWhiteSpace(diskPath))
            throw new ArgumentException($"diskPath must be a path on the disk to report, got '{diskPath}'", nameof(diskPath));
        _diskPath = Path.GetFullPath(diskPath);
        _procRoot = procRoot;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _nvidiaSmi = nvidiaSmiRunner ?? NvidiaSmi.RunQueryAsync;
    }

    /// <summary>Takes one reading; see the class remarks for each value's source and fallbacks.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public async Task<ResourceReading> SampleAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var cpu = await SampleCpuAsync(ct).ConfigureAwait(false);
            var memory = await ReadMemoryAsync(ct).ConfigureAwait(false);
            var (diskPercent, diskTotalMb) = ReadDisk();
            var gpu = await SampleGpuAsync(ct).ConfigureAwait(false);
            return new ResourceReading(
                CpuPercent: cpu,
                MemoryPercent: memory?.UsedPercent ?? 0,
                DiskPercent: diskPercent,
                GpuMemoryPercent: gpu?.MemoryPercent ?? 0,
                CpuCount: Environment.ProcessorCount,
                MemoryTotalMb: (long)((memory?.TotalKb ?? 0) / 1024),
                DiskTotalMb: diskTotalMb,
                GpuName: gpu?.Name,
                GpuCount: gpu?.Count ?? 0,
                GpuMemoryTotalMb: gpu?.MemoryTotalMb ?? 0,
                GpuUtilizationPercent: gpu?.UtilizationPercent ?? 0);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<double> SampleCpuAsync(CancellationToken ct)
    {
        var now = await ReadProcAsync("stat", ProcStat.Parse, ct).ConfigureAwait(false);
        if (now is not { } current)
            return 0;
        if (_lastCpu is null)
        {
            await Task.Delay(FirstCpuWindow, ct).ConfigureAwait(false); // real time: the kernel's counters run on it
            _lastCpu = current;
            now = await ReadProcAsync("stat", ProcStat.Parse, ct).ConfigureAwait(false);
            if (now is not { } second)
                return 0;
            current = second;
        }

        var previous = _lastCpu.Value;
        _lastCpu = current;
        if (current.TotalJiffies == previous.TotalJiffies)
            return _lastCpuPercent; // no jiffy passed: keep the last answer rather than report 0
        _lastCpuPercent = ProcStat.CpuPercentBetween(previous, current);
        return _lastCpuPercent;
    }

    private Task<MemInfo?> ReadMemoryAsync(CancellationToken ct) => ReadProcAsync("meminfo", MemInfo.Parse, ct);

    private async Task<T?> ReadProcAsync<T>(string file, Func<string, T> parse, CancellationToken ct) where T : struct
    {
        var path = Path.Combine(_procRoot, file);
        if (!OperatingSystem.IsLinux())
        {
            WarnOnce(path, $"{Environment.OSVersion.Platform} is not Linux");
            return null;
        }
        try
        {
            var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            return parse(text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            WarnOnce(path, ex.Message);
            return null;
        }
    }

    private (double Percent, long TotalMb) ReadDisk()
    {
        try
        {
            var drive = new DriveInfo(_diskPath);
            var total = drive.TotalSize;
            if (total <= 0)
                return (0, 0);
            var used = total - drive.TotalFreeSpace;
            return (Math.Clamp(100.0 * used / total, 0, 100), (long)(total / BytesPerMb));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            WarnOnce($"disk at {_diskPath}", ex.Message);
            return (0, 0);
        }
    }

    private async Task<GpuSummary?> SampleGpuAsync(CancellationToken ct)
    {
        if (_nextGpuProbe is { } next && _time.GetUtcNow() < next)
            return null; // a recent probe failed: stay a CPU node until the re-probe time

        var (gpu, reason) = await ProbeGpuAsync(ct).ConfigureAwait(false);
        if (gpu is not null)
        {
            _nextGpuProbe = null;
            _gpuFailureLogged = false;
            if (gpu.Name != _lastGpuName)
                ResourcesLog.GpuFound(_logger, gpu.Count, gpu.Name, gpu.MemoryTotalMb);
            _lastGpuName = gpu.Name;
            return gpu;
        }

        _nextGpuProbe = _time.GetUtcNow() + GpuReprobeInterval;
        _lastGpuName = null;
        if (_gpuFailureLogged)
        {
            ResourcesLog.NoGpuAgain(_logger, reason);
        }
        else
        {
            ResourcesLog.NoGpu(_logger, reason, GpuReprobeInterval.TotalMinutes);
            _gpuFailureLogged = true;
        }
        return null;
    }

    private async Task<(GpuSummary? Gpu, string Reason)> ProbeGpuAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(GpuProbeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            // WaitAsync on the linked token also ends a runner that ignores its token; the timeout's
            // timer starts before the runner does.
            var output = await _nvidiaSmi(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            if (output is null)
                return (null, "nvidia-smi is absent or exited with an error");
            var gpu = NvidiaSmi.ParseQueryOutput(output);
            return gpu is null ? (null, "nvidia-smi listed no GPU") : (gpu, "");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return (null, $"nvidia-smi did not finish within {GpuProbeTimeout.TotalSeconds} s");
        }
        catch (Exception ex)
        {
            return (null, $"nvidia-smi failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void WarnOnce(string resource, string reason)
    {
        if (_warned.Add(resource))
            ResourcesLog.Unreadable(_logger, resource, reason);
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// A node started as a child process of this program (<c>run</c> with the given arguments), its
/// output appended to a log file. Used by <c>local-cluster</c> and by the multi-process tests.
/// </summary>
public sealed class ChildNode : IDisposable
{
    private const int SigTerm = 15;
    private const string CliErrorPrefix = "ringrift-p2p: ";
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly StrongBox<string?> _lastError;

    private ChildNode(Process process, StreamWriter log, StrongBox<string?> lastError, string nodeId, int port, string logPath)
    {
        _process = process;
        _log = log;
        _lastError = lastError;
        NodeId = nodeId;
        Port = port;
        LogPath = logPath;
    }

    public string NodeId { get; }
    public int Port { get; }
    public string LogPath { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// The last one-line error the node printed on stderr (<c>ringrift-p2p: …</c>, as <c>run</c> reports a
    /// bad setting or a taken port); null when none. Complete once <see cref="WaitForExitAsync"/> returned.
    /// </summary>
    public string? LastError => Volatile.Read(ref _lastError.Value);

    /// <summary>Starts <c>ringrift-p2p run …</c> using this same program (<see cref="ProgramLocation"/>: the single-file executable, the apphost, the tool's shim or <c>dotnet ringrift-p2p.dll</c>).</summary>
    public static ChildNode Start(string nodeId, int port, IEnumerable<string> runArgs, string logPath,
        IReadOnlyDictionary<string, string>? environment = null, string? programPath = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var (file, prefix) = ProgramLocation.Given(programPath);
        info.FileName = file;
        foreach (var a in prefix) info.ArgumentList.Add(a);
        info.ArgumentList.Add("run");
        foreach (var a in runArgs) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;
        info.Environment["DOTNET_NOLOGO"] = "1";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Write(log, e.Data); };
        var lastError = new StrongBox<string?>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith(CliErrorPrefix, StringComparison.Ordinal)) Volatile.Write(ref lastError.Value, e.Data);
            Write(log, e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildNode(process, log, lastError, nodeId, port, logPath);
    }

    /// <summary>SIGKILL: the process gets no chance to clean up (as in a crash).</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = SendSignal(_process.Id, SigTerm);
        using var cts = new CancellationTokenSource(grace);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { Kill(); }
    }

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public void Dispose()
    {
        try { Kill(); } catch (InvalidOperationException) { }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static void Write(StreamWriter log, string line)
    {
        lock (log)
        {
            try { log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

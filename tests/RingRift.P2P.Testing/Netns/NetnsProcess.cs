using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// A program started inside a host's namespace with <c>ip netns exec NAME program args</c>, its stdout and
/// stderr appended to a log file. <c>ip netns exec</c> execs the program in its own place, so
/// <see cref="ProcessId"/> is the program's and a signal reaches it directly.
/// </summary>
public sealed class NetnsProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _disposed;

    private NetnsProcess(Process process, StreamWriter log, NetnsHost host, string logPath)
    {
        _process = process;
        _log = log;
        Host = host;
        LogPath = logPath;
    }

    /// <summary>The host whose namespace the program runs in.</summary>
    public NetnsHost Host { get; }

    /// <summary>The file its output goes to.</summary>
    public string LogPath { get; }

    /// <summary>The program's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the program has ended (after <see cref="Dispose"/>: whether it ended by then).</summary>
    public bool HasExited => _disposed ? ExitedAtDispose : _process.HasExited;

    private bool ExitedAtDispose { get; set; }

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    internal static NetnsProcess Start(string ip, NetnsHost host, string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment, string logPath)
    {
        var info = new ProcessStartInfo(ip)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["netns", "exec", host.Namespace, program, .. args])
        {
            info.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            log.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NetnsProcess(process, log, host, logPath);
    }

    /// <summary>The byte counters of its host's interface (see <see cref="NetnsLinkBytes"/>), while it runs.</summary>
    public NetnsLinkBytes LinkBytes() => NetnsLinkBytes.Of(ProcessId);

    /// <summary>SIGKILL (as in a crash), and waits until the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM, then SIGKILL if it has not ended after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        _ = SendSignal(_process.Id, SigTerm);
        using var bound = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the log, for a failure message.</summary>
    public string LogTail(int lines = 30)
    {
        lock (_log)
        {
            try
            {
                using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException e)
            {
                return $"(log unreadable: {e.Message})";
            }
        }
    }

    /// <summary>Kills the process (SIGKILL) and closes its log.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        try { Kill(); } catch (InvalidOperationException) { }
        ExitedAtDispose = _process.HasExited;
        _disposed = true;
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            try { log.WriteLine(line); } catch (ObjectDisposedException) { }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

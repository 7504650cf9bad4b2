using System.Diagnostics;
using RingRift.P2P.Testing.Processes;

namespace RingRift.P2P.Node.Tests.Deploy;

/// <summary>
/// deploy/systemd/ringrift-p2p.service through <c>systemd-analyze verify</c> (Debian's <c>systemd</c>
/// package): every directive known and every value parsed. verify insists that the ExecStart= binary
/// exists, so it checks a copy whose only change is that path, pointed at a stand-in executable. Trait
/// <c>Category=Systemd</c>: ./test.sh leaves these out, saying so, where systemd-analyze is missing,
/// unless <c>RINGRIFT_SYSTEMD_TESTS=required</c> (CI), and they then fail naming what to install.
/// </summary>
[Trait("Category", Category)]
public sealed class SystemdVerifyTests : IDisposable
{
    /// <summary>The xunit trait value (<c>--filter Category!=Systemd</c> leaves these tests out).</summary>
    public const string Category = "Systemd";

    private const string Executable = "/usr/local/bin/ringrift-p2p";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ringrift-systemd-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task TheUnit_PassesSystemdAnalyzeVerify()
    {
        var unit = CopyWithStandInExecutable(File.ReadAllText(SystemdUnitFile.RepoPath));

        var (exit, output) = await VerifyAsync(unit);

        Assert.True(exit == 0 && output.Length == 0, $"systemd-analyze verify exited {exit}:\n{output}");
    }

    [Fact]
    public async Task Verify_CatchesAMisspeltDirective_AndABadValue()
    {
        // The control: verify exits 0 on both, so the test above also requires it to print nothing.
        var text = File.ReadAllText(SystemdUnitFile.RepoPath).Replace("KillMode=process", "KillMod=process", StringComparison.Ordinal)
            .Replace("TimeoutStopSec=30s", "TimeoutStopSec=thirty", StringComparison.Ordinal);
        var unit = CopyWithStandInExecutable(text);

        var (_, output) = await VerifyAsync(unit);

        Assert.Contains("Unknown key 'KillMod'", output);
        Assert.Contains("thirty", output);
    }

    /// <summary>The unit text with ExecStart='s binary replaced by an executable stand-in, written as ringrift-p2p.service.</summary>
    private string CopyWithStandInExecutable(string text)
    {
        var standIn = Path.Combine(_dir.FullName, "ringrift-p2p");
        File.WriteAllText(standIn, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(1, text.Split(Executable).Length - 1); // ExecStart= is the only place the path appears
        var unit = Path.Combine(_dir.FullName, "ringrift-p2p.service");
        File.WriteAllText(unit, text.Replace(Executable, standIn, StringComparison.Ordinal));
        return unit;
    }

    private async Task<(int Exit, string Output)> VerifyAsync(string unit)
    {
        var (code, stdout, stderr) = await ProcessRun.RunAsync(
            new ProcessStartInfo(SystemdAnalyze(), ["verify", unit]) { WorkingDirectory = _dir.FullName }, TimeSpan.FromSeconds(60));
        return (code, (stdout + stderr).Trim());
    }

    /// <summary>systemd-analyze on the PATH (or in /usr/bin), or an exception that says how to get it.</summary>
    private static string SystemdAnalyze()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin");
        return folders.Select(f => Path.Combine(f, "systemd-analyze")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("systemd-analyze not found: install Debian's systemd package (apt-get install systemd; " +
                "scripts/test-deps.sh does it). ./test.sh leaves these tests out when it is missing, unless RINGRIFT_SYSTEMD_TESTS=required.");
    }
}

using System.Diagnostics;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cli;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// <c>--version</c>, <c>/status</c>, <c>/health</c> and the heartbeat summary carry one string: the
/// release's version and the commit it was built from (<c>1.0.0+&lt;commit&gt;</c>, <c>unknown</c> for a
/// build outside git).
/// </summary>
public sealed class ProgramVersionTests : IAsyncLifetime
{
    private InProcessCluster? _cluster;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        _url = (await _cluster.WaitForLeaderAsync()).Url;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task VersionOption_PrintsTheVersionWithTheCommitOfTheCheckout()
    {
        var (code, output, error) = await CapturedOutput.RunAsync(["--version"]);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(ProgramVersion.Text, output.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+\+([0-9a-f]{40}|unknown)$", ProgramVersion.Text);
        // test.sh builds before it tests, so the build's commit is the checkout's (when git is there to ask).
        if (GitHead() is { } head) Assert.Equal(head, ProgramVersion.Text[(ProgramVersion.Text.IndexOf('+') + 1)..]);
    }

    [Fact]
    public async Task StatusHealthAndSummary_CarryTheSameVersion()
    {
        var status = (await Http.GetAsync(_url, "status")).Json!;
        var health = (await Http.GetAsync(_url, "health")).Json!;

        Assert.Equal(ProgramVersion.Text, status["version"]!.GetValue<string>());
        Assert.Equal(ProgramVersion.Text, status["self"]!["version"]!.GetValue<string>());
        Assert.Equal(ProgramVersion.Text, health["version"]!.GetValue<string>());
        // After the loop fields, as the last field of /health.
        Assert.Equal(["loops_healthy", "unhealthy_loops", "version"], health.AsObject().Select(p => p.Key).TakeLast(3));
    }

    [Theory]
    [InlineData("1.0.0+1419166d673922a9f1248287b3840af1e0991f9f", "1.0.0+1419166")]
    [InlineData("1.0.0+unknown", "1.0.0+unknown")]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("1.0.0+abc", "1.0.0+abc")]
    public void Short_KeepsSevenCharactersOfTheCommit(string version, string expected) =>
        Assert.Equal(expected, ProgramVersion.Short(version));

    private static string? GitHead()
    {
        try
        {
            var info = new ProcessStartInfo("git", ["rev-parse", "HEAD"])
            {
                WorkingDirectory = RepoFiles.Path(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(info)!;
            var head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? head : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}

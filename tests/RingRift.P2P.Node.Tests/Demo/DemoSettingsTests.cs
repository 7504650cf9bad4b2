using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Node.Tests.Demo;

/// <summary>
/// <c>local-cluster --demo</c> needs no source tree: the program carries examples/jobs.yaml and writes it
/// into the cluster's folder.
/// </summary>
public sealed class DemoSettingsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rr-demo-settings-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public void Demo_WritesTheProgramsCopyOfExamplesJobs_IntoTheClusterFolder()
    {
        var path = DemoSettings.Resolve(jobs: null, demo: true, Path.Combine(_folder, ".local-cluster"));

        Assert.Equal(Path.Combine(_folder, ".local-cluster", "demo-jobs.yaml"), path);
        Assert.Equal(File.ReadAllBytes(RepoFiles.Path("examples", "jobs.yaml")), File.ReadAllBytes(path!));
    }

    [Fact]
    public void Demo_WritesItsCopyAgain_OverAnEditedOne()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "demo-jobs.yaml"), "jobs: {}\n");

        var path = DemoSettings.Resolve(jobs: null, demo: true, _folder);

        Assert.Equal(File.ReadAllBytes(RepoFiles.Path("examples", "jobs.yaml")), File.ReadAllBytes(path!));
    }

    [Fact]
    public void JobsFlag_WinsOverDemo_AndWritesNothing()
    {
        var jobs = RepoFiles.Path("examples", "jobs.yaml");

        Assert.Equal(jobs, DemoSettings.Resolve(jobs, demo: true, _folder));
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public void MissingJobsFile_IsRefusedNamingIt()
    {
        var e = Assert.Throws<CliException>(() => DemoSettings.Resolve(Path.Combine(_folder, "nope.yaml"), demo: false, _folder));

        Assert.Contains("nope.yaml: no such file", e.Message);
    }

    [Fact]
    public void NeitherJobsNorDemo_IsNoJobs() => Assert.Null(DemoSettings.Resolve(null, demo: false, _folder));
}

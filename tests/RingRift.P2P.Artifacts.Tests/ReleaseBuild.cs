using System.Diagnostics;
using RingRift.P2P.Node.Hosting;

// The release is Linux executables (x64 and arm64 under qemu): these tests run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace RingRift.P2P.Artifacts.Tests;

/// <summary>
/// One run of <c>scripts/release.sh</c> for every test of the run: the x64 executable, the arm64 one when
/// the emulator is there or required (<see cref="Emulation.Wanted"/>), the tool package and SHA256SUMS,
/// built into artifacts/test-release (git-ignored; kept, so the next run builds incrementally).
/// <c>RINGRIFT_RELEASE_ARTIFACTS=DIR</c> tests the artifacts already in DIR instead of building.
/// </summary>
public sealed class ReleaseBuild : IAsyncLifetime
{
    /// <summary>
    /// Bound of the release build when this fixture runs it (a run of selected tests; a full test.sh run builds the
    /// release in the background and passes it in as <c>RINGRIFT_RELEASE_ARTIFACTS</c>): two natively compiled publishes
    /// and a pack, about 3 minutes on an otherwise idle 2-core machine. Below test.sh's 10-minute hang limit, so a slow
    /// build fails here, with its log, instead.
    /// </summary>
    private static readonly TimeSpan BuildWait = TimeSpan.FromMinutes(9);

    private readonly SemaphoreSlim _toolLock = new(1, 1);
    private string? _toolPath;
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "rr-release-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public string Folder { get; private set; } = "";

    /// <summary>How long release.sh took (zero when the artifacts were given).</summary>
    public TimeSpan BuildTime { get; private set; }

    public string X64 => Path.Combine(Folder, "ringrift-p2p-linux-x64");

    public string Arm64 => Path.Combine(Folder, "ringrift-p2p-linux-arm64");

    /// <summary>The tool package (ringrift-p2p.&lt;version&gt;.nupkg).</summary>
    public string Package => Directory.GetFiles(Folder, "ringrift-p2p.*.nupkg").Single();

    /// <summary>What every artifact must report: the version of this checkout's build, with its commit.</summary>
    public static string ExpectedVersion => ProgramVersion.Text;

    /// <summary>A folder of this run's own, deleted at its end (tool installs, node data, copies of executables).</summary>
    public string Scratch(string name)
    {
        var path = Path.Combine(_scratch, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(path);
        return path;
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("RINGRIFT_RELEASE_ARTIFACTS") is { Length: > 0 } given)
        {
            Folder = Path.GetFullPath(given);
            return;
        }
        Folder = Path.Combine(RepoRoot(), "artifacts", "test-release");
        List<string> args = ["--out", Folder, "--rid", "linux-x64"];
        if (Emulation.Wanted) args.AddRange(["--rid", "linux-arm64"]);
        var clock = Stopwatch.StartNew();
        var (code, output) = await Launched.RunAsync(Path.Combine(RepoRoot(), "scripts", "release.sh"), args, RepoRoot(), BuildWait);
        BuildTime = clock.Elapsed;
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "release.log"), output);
        if (code != 0)
            throw new InvalidOperationException($"scripts/release.sh {string.Join(' ', args)} exited {code}:\n{string.Join('\n', output.Split('\n').TakeLast(60))}");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _toolLock.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The tool installed once per run from the release's package (<c>dotnet tool install --tool-path</c>),
    /// with a NuGet configuration of its own that knows no source but the package's folder and a packages
    /// folder of its own: nothing is fetched and nothing lands in ~/.nuget. Returns the tool's command.
    /// </summary>
    public async Task<string> InstalledToolAsync()
    {
        await _toolLock.WaitAsync();
        try
        {
            if (_toolPath is not null) return _toolPath;
            var root = Scratch("tool");
            var config = Path.Combine(root, "nuget.config");
            await File.WriteAllTextAsync(config, """
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(root, "tools");
            var env = new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(root, "packages"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            };
            var (code, output) = await Launched.RunAsync("dotnet",
                ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", Folder, "ringrift-p2p"],
                root, TimeSpan.FromMinutes(5), env);
            if (code != 0) throw new InvalidOperationException($"dotnet tool install exited {code}:\n{output}");
            _toolPath = Path.Combine(tools, "ringrift-p2p");
            return _toolPath;
        }
        finally
        {
            _toolLock.Release();
        }
    }

    /// <summary>The checkout: the folder above the test binaries that holds RingRift.P2P.slnx.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RingRift.P2P.slnx"))) return dir.FullName;
        }
        throw new FileNotFoundException("RingRift.P2P.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Every test of the release artifacts shares one build, one after another (they start processes).</summary>
[CollectionDefinition(Name)]
public sealed class ReleaseCollection : ICollectionFixture<ReleaseBuild>
{
    public const string Name = "release artifacts";
}

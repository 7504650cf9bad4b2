using System.Diagnostics;
using RingRift.P2P.Testing.Processes;

namespace RingRift.P2P.Node.Tests.Upgrade;

/// <summary>
/// The node program as of an earlier commit of this repository: its source taken from git history
/// (<c>git archive</c>, so the working tree is untouched) and built once per machine into a folder under
/// the temp directory, which later runs reuse. Needs the commit in the clone's history.
/// </summary>
public static class PreviousBuild
{
    private static readonly Dictionary<string, Lazy<Task<string>>> Builds = new(StringComparer.Ordinal);

    /// <summary>The path of <c>ringrift-p2p.dll</c> built from <paramref name="commit"/>.</summary>
    public static Task<string> DllAsync(string commit)
    {
        lock (Builds)
        {
            if (!Builds.TryGetValue(commit, out var build))
                Builds[commit] = build = new Lazy<Task<string>>(() => BuildAsync(commit));
            return build.Value;
        }
    }

    private static async Task<string> BuildAsync(string commit)
    {
        var root = Path.Combine(Path.GetTempPath(), $"ringrift-previous-{commit[..12]}");
        var dll = Path.Combine(root, "bin", "ringrift-p2p.dll");
        var done = Path.Combine(root, "built");
        if (File.Exists(done) && File.Exists(dll)) return dll;

        var repo = RepoFiles.Path();
        var (code, output) = await RunAsync("git", ["-C", repo, "cat-file", "-e", commit + "^{commit}"], repo);
        if (code != 0)
            throw new InvalidOperationException($"commit {commit} is not in this clone's history ({output.Trim()}); the upgrade test builds it from there (a full clone, not a shallow one, has it)");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var source = Path.Combine(root, "src");
        Directory.CreateDirectory(source);
        var archive = Path.Combine(root, "source.tar");
        (code, output) = await RunAsync("git", ["-C", repo, "archive", "--format=tar", "-o", archive, commit], repo);
        if (code != 0) throw new InvalidOperationException($"git archive {commit} failed: {output}");
        (code, output) = await RunAsync("tar", ["-xf", archive, "-C", source], repo);
        if (code != 0) throw new InvalidOperationException($"unpacking {commit} failed: {output}");
        (code, output) = await RunAsync("dotnet", ["build", Path.Combine(source, "src", "RingRift.P2P.Node", "RingRift.P2P.Node.csproj"),
            "-c", "Release", "-o", Path.Combine(root, "bin"), "-nologo", "-v", "q", "-nodeReuse:false", "--disable-build-servers"], source);
        if (code != 0 || !File.Exists(dll)) throw new InvalidOperationException($"building {commit} failed (exit {code}):\n{output}");
        await File.WriteAllTextAsync(done, commit);
        return dll;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo(file, args) { WorkingDirectory = workingDirectory };
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var (code, stdout, stderr) = await ProcessRun.RunAsync(info, TimeSpan.FromMinutes(8));
        return (code, stdout + stderr);
    }
}

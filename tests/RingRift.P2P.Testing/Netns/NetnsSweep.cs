using System.Diagnostics;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// Removes what test beds of dead processes left behind (a test host killed mid-test, or one whose
/// Dispose never ran): namespaces and root links named by <see cref="NetnsNames"/> whose owner pid is
/// no longer running, after killing every process still inside those namespaces. Names of live owners
/// (another test run at the same time) and every other name are left alone. Runs at the start of every
/// <see cref="NetnsTestBed.Create"/>.
/// </summary>
public static class NetnsSweep
{
    /// <summary>Sweeps with the <c>ip</c> found on this machine; returns the names removed.</summary>
    public static IReadOnlyList<string> Run()
    {
        return Run(FindIp());
    }

    /// <summary>The names of the namespaces in /run/netns now.</summary>
    public static IReadOnlyList<string> NamespaceNames() => [.. Namespaces(FindIp())];

    /// <summary>The names of the root namespace's links now.</summary>
    public static IReadOnlyList<string> RootLinkNames() => [.. RootLinks(FindIp())];

    internal static IReadOnlyList<string> Run(string ip)
    {
        var removed = new List<string>();
        // Root links first: deleting one deletes its peer at once, while a deleted namespace (holding the
        // peer) is torn down by the kernel in the background.
        foreach (var link in RootLinks(ip))
        {
            if (NetnsNames.OwnerOfLink(link) is not { } owner || IsRunning(owner)) continue;
            if (NetnsCommand.TryRun(ip, "link", "delete", link).Code == 0) removed.Add(link);
        }

        foreach (var ns in Namespaces(ip))
        {
            if (NetnsNames.OwnerOfNamespace(ns) is not { } owner || IsRunning(owner)) continue;
            KillEverythingIn(ip, ns);
            NetnsCommand.Run(ip, "netns", "delete", ns);
            removed.Add(ns);
        }

        return removed;
    }

    /// <summary>The names of every namespace in /run/netns (<c>ip netns list</c> prints "name (id: n)").</summary>
    internal static IEnumerable<string> Namespaces(string ip) =>
        NetnsCommand.Run(ip, "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0]);

    /// <summary>The names of the root namespace's links (<c>ip -o link</c> prints "n: name@peer: …").</summary>
    internal static IEnumerable<string> RootLinks(string ip) =>
        NetnsCommand.Run(ip, "-o", "link", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => parts[1].Trim().Split('@')[0]);

    /// <summary>SIGKILLs every process in namespace <paramref name="ns"/> (<c>ip netns pids</c>), and waits for each to go.</summary>
    internal static void KillEverythingIn(string ip, string ns)
    {
        var (code, stdout, _) = NetnsCommand.TryRun(ip, "netns", "pids", ns);
        if (code != 0) return;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(line, out var pid)) continue;
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (ArgumentException) { } // already gone
            catch (InvalidOperationException) { }
        }
    }

    private static string FindIp() => NetnsCommand.Find("ip") ?? throw new NetnsUnavailableException(NetnsDependencies.MissingIp);

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}");
}

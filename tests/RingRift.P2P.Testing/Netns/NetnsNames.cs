using System.Globalization;
using System.Text.RegularExpressions;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// The names one test bed gives what it creates, all carrying its owner's process id and a per-process
/// sequence number (<c>rrt-&lt;pid&gt;-&lt;seq&gt;</c>), so that the leftover sweep can tell whose they are
/// and remove them once that process is dead.
/// </summary>
/// <param name="OwnerPid">The test process that created them.</param>
/// <param name="Sequence">The test bed's number within that process.</param>
public sealed partial record NetnsNames(int OwnerPid, int Sequence)
{
    /// <summary>Linux's longest interface name (IFNAMSIZ − 1).</summary>
    private const int MaxInterfaceName = 15;

    /// <summary>What every namespace and root link of this test bed starts with.</summary>
    public string Prefix => string.Create(CultureInfo.InvariantCulture, $"rrt-{OwnerPid}-{Sequence}");

    /// <summary>The namespace holding the bridge (and nothing else).</summary>
    public string BridgeNamespace => Prefix + "-br";

    /// <summary>The namespace of host <paramref name="index"/> (1-based).</summary>
    public string HostNamespace(int index) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-n{index}");

    /// <summary>The root namespace's end of the veth pair to the bridge (the test process's way in).</summary>
    public string RootLink => Prefix.Length <= MaxInterfaceName
        ? Prefix
        : throw new InvalidOperationException($"interface name {Prefix} is longer than {MaxInterfaceName} characters");

    /// <summary>The nftables table of the fault rules inside each host's namespace.</summary>
    public string FaultTable => string.Create(CultureInfo.InvariantCulture, $"rrt_{OwnerPid}_{Sequence}");

    /// <summary>The owner pid of a namespace name this scheme made; null for any other name.</summary>
    public static int? OwnerOfNamespace(string name) => Owner(NamespacePattern().Match(name));

    /// <summary>The owner pid of a root link name this scheme made; null for any other name.</summary>
    public static int? OwnerOfLink(string name) => Owner(LinkPattern().Match(name));

    private static int? Owner(Match match) =>
        match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    [GeneratedRegex(@"^rrt-(\d+)-\d+-(br|n\d+)$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"^rrt-(\d+)-\d+$")]
    private static partial Regex LinkPattern();
}

namespace RingRift.P2P.Testing.Netns;

/// <summary>The tools the test bed needs, found once, or one line saying which is missing.</summary>
internal sealed record NetnsDependencies(string Ip, string Nft, string Tc)
{
    public const string MissingIp = "Network namespace tests cannot run: no `ip` found (Debian package iproute2).";
    public const string MissingNft = "Network namespace tests cannot run: no `nft` found (Debian package nftables; scripts/test-deps.sh installs it).";
    public const string MissingTc = "Network namespace tests cannot run: no `tc` found (Debian package iproute2).";

    public const string NotRoot = "Network namespace tests cannot run: this process is not root (they create namespaces, links and nftables rules).";

    /// <summary>
    /// Finds ip, nft and tc, or throws <see cref="NetnsUnavailableException"/> naming the first missing; a
    /// process that is not root is told so first (it would otherwise fail on whatever root-owned file or
    /// command it met first, such as the subnet's lock file left by an earlier root run).
    /// </summary>
    public static NetnsDependencies Find()
    {
        var tools = new NetnsDependencies(
            NetnsCommand.Find("ip") ?? throw new NetnsUnavailableException(MissingIp),
            NetnsCommand.Find("nft") ?? throw new NetnsUnavailableException(MissingNft),
            NetnsCommand.Find("tc") ?? throw new NetnsUnavailableException(MissingTc));
        return Environment.IsPrivilegedProcess ? tools : throw new NetnsUnavailableException(NotRoot);
    }

    /// <summary>The one line for a failed <c>ip netns add</c> (not root, or no namespace support).</summary>
    public static string CannotAdd(string stderr) =>
        $"Network namespace tests cannot run: `ip netns add` failed ({FirstLine(stderr)}); they need root and a kernel with network namespaces.";

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}

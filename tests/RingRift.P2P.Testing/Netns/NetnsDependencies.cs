namespace RingRift.P2P.Testing.Netns;

/// <summary>The tools the test bed needs, found once, or one line saying which is missing.</summary>
internal sealed record NetnsDependencies(string Ip, string Nft, string Tc)
{
    public const string MissingIp = "Network namespace tests cannot run: no `ip` found (Debian package iproute2).";
    public const string MissingNft = "Network namespace tests cannot run: no `nft` found (Debian package nftables; scripts/test-deps.sh installs it).";
    public const string MissingTc = "Network namespace tests cannot run: no `tc` found (Debian package iproute2).";

    /// <summary>Finds ip, nft and tc, or throws <see cref="NetnsUnavailableException"/> naming the first missing.</summary>
    public static NetnsDependencies Find() => new(
        NetnsCommand.Find("ip") ?? throw new NetnsUnavailableException(MissingIp),
        NetnsCommand.Find("nft") ?? throw new NetnsUnavailableException(MissingNft),
        NetnsCommand.Find("tc") ?? throw new NetnsUnavailableException(MissingTc));

    /// <summary>The one line for a failed <c>ip netns add</c> (not root, or no namespace support).</summary>
    public static string CannotAdd(string stderr) =>
        $"Network namespace tests cannot run: `ip netns add` failed ({FirstLine(stderr)}); they need root and a kernel with network namespaces.";

    private static string FirstLine(string text) => text.Trim().Split('\n')[0].Trim();
}

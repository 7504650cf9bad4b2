using System.Globalization;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// One /24 of 10.213.0.0/16 (a private range used by nothing but these test beds) held by one test bed:
/// hosts get .1, .2, … and the root namespace's end (the observer: the test process) .254. A subnet is
/// held with an exclusive lock on <c>$TMPDIR/ringrift-p2p-netns/&lt;n&gt;.lock</c> until Dispose (the
/// kernel drops the lock when the process dies), so test beds running at once, in this or another
/// process, never share one; a subnet already on one of the root namespace's addresses is skipped too.
/// </summary>
public sealed class NetnsSubnet : IDisposable
{
    /// <summary>The address of the observer, the root namespace's end of the link to the bridge.</summary>
    public const int ObserverHost = 254;

    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "ringrift-p2p-netns");
    private readonly FileStream _lock;

    private NetnsSubnet(int third, FileStream held)
    {
        Third = third;
        _lock = held;
    }

    /// <summary>The third octet: the subnet is 10.213.<see cref="Third"/>.0/24.</summary>
    public int Third { get; }

    /// <summary>The address of host <paramref name="index"/> (1-253).</summary>
    public string Address(int index) => index is >= 1 and < ObserverHost
        ? string.Create(CultureInfo.InvariantCulture, $"10.213.{Third}.{index}")
        : throw new ArgumentOutOfRangeException(nameof(index), index, "a host is 1-253");

    /// <summary>The observer's address (the test process's, in the root namespace).</summary>
    public string Observer => string.Create(CultureInfo.InvariantCulture, $"10.213.{Third}.{ObserverHost}");

    /// <summary>Takes a free subnet; <paramref name="rootAddresses"/> is <c>ip -o -4 addr show</c> of the root namespace.</summary>
    internal static NetnsSubnet Claim(string rootAddresses)
    {
        Directory.CreateDirectory(LockFolder);
        for (var third = 0; third < 256; third++)
        {
            if (rootAddresses.Contains(string.Create(CultureInfo.InvariantCulture, $" 10.213.{third}."), StringComparison.Ordinal)) continue;
            try
            {
                var held = new FileStream(Path.Combine(LockFolder, string.Create(CultureInfo.InvariantCulture, $"{third}.lock")),
                    FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new NetnsSubnet(third, held);
            }
            catch (IOException) { } // held by another test bed
        }

        throw new InvalidOperationException("every /24 of 10.213.0.0/16 is held by another test bed");
    }

    /// <summary>Releases the subnet.</summary>
    public void Dispose() => _lock.Dispose();
}

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// The tests on network namespaces (trait <c>Category=Netns</c>): one after another, so no two of their
/// sets of node processes load the cores at once, but beside the other test collections. The dashboard's browser
/// test is in it too: the host links these tests add and remove make Chromium drop requests in flight.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NetnsCollection
{
    public const string Name = "Network namespaces";
}

using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>The end of each node process's log, to put in a failure message.</summary>
public static class ChildLogs
{
    private const int TailChars = 3000;

    public static string Tails(IEnumerable<ChildNode> nodes) => string.Join("\n----\n", nodes.Select(n => n.NodeId + ":\n" + Tail(n)));

    private static string Tail(ChildNode node)
    {
        try
        {
            var text = File.ReadAllText(node.LogPath);
            return text.Length > TailChars ? text[^TailChars..] : text;
        }
        catch (IOException) { return "(no log)"; }
    }
}

using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// With a cluster token set, every request that changes something needs it: every non-GET request,
/// and GET /work/claim and /work/claim_batch (they claim work); so does every /sync request (data files and manifests are not public). Accepted as <c>Authorization: Bearer &lt;token&gt;</c> or
/// <c>X-RingRift-Auth: &lt;token&gt;</c>, compared in constant time. Otherwise 401.
/// </summary>
public static class AuthMiddleware
{
    public const string AuthHeader = "X-RingRift-Auth";

    public static IApplicationBuilder UseClusterAuth(this IApplicationBuilder app, ClusterToken token)
    {
        if (!token.IsSet) return app;
        return app.Use(async (context, next) =>
        {
            if (NeedsToken(context.Request) && !token.Matches(Presented(context.Request)))
            {
                await ErrorHandling.WriteAsync(context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "unauthorized");
                return;
            }
            await next(context);
        });
    }

    private static bool NeedsToken(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        || request.Path.Equals("/work/claim", StringComparison.OrdinalIgnoreCase)
        || request.Path.Equals("/work/claim_batch", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/sync", StringComparison.OrdinalIgnoreCase);

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        var alt = request.Headers[AuthHeader].ToString();
        return alt.Length > 0 ? alt : null;
    }
}

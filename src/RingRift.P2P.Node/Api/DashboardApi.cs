using RingRift.P2P.Node.Dashboard;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// GET /dashboard: the operator's page, and GET /dashboard/{file} its scripts, style sheet and icon, all
/// embedded in the program. The page polls this node's JSON routes; its Content-Security-Policy lets it
/// load and contact nothing but this node. Like /status it needs no token; the page sends the one the
/// operator types only with a cancel.
/// </summary>
public static class DashboardApi
{
    /// <summary>Everything from this origin only; no inline script or style, no frames, no forms, no plugins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        // The page's relative links need it at /dashboard: from /dashboard/ (same route) they would point one level too deep.
        app.MapGet("/dashboard", (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
            ? Results.Redirect("../dashboard", permanent: true)
            : Serve(http, DashboardAssets.Page));
        app.MapGet("/dashboard/{file}", (string file, HttpContext http) => Serve(http, file));
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (DashboardAssets.Find(file) is not { } asset)
            return ErrorHandling.Result(StatusCodes.Status404NotFound, "NOT_FOUND", $"the dashboard has no file '{file}'");
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}

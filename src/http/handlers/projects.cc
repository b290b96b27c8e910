#include "http/handlers/management_internal.h"

namespace gatehouse::http::internal {
namespace {

Result<mgmt::ProjectInput> ReadProject(const Request& req) {
  GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"name", "description", "environments"}));
  mgmt::ProjectInput input;
  GH_ASSIGN_OR_RETURN(input.name, GetString(body, "name"));
  GH_ASSIGN_OR_RETURN(input.description, GetString(body, "description"));
  GH_ASSIGN_OR_RETURN(input.environments, GetStringArray(body, "environments"));
  return input;
}

}  // namespace

void AddProjectRoutes(Router& router, ManagementContext& ctx) {
  router.Add({bhttp::verb::post, "/api/v1/projects",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto input, ReadProject(req));
                GH_ASSIGN_OR_RETURN(auto project, ctx.projects.Create(me.id, input));
                return JsonResponse(bhttp::status::created, RenderProject(project, ctx.public_url));
              })});
  router.Add({bhttp::verb::get, "/api/v1/projects",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto page, ParsePage(req));
                GH_ASSIGN_OR_RETURN(auto projects, ctx.projects.List(me.id, page));
                return JsonResponse(bhttp::status::ok,
                                    RenderPage(projects, [&](const domain::Project& p) {
                                      return RenderProject(p, ctx.public_url);
                                    }));
              })});
  router.Add({bhttp::verb::get, "/api/v1/projects/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto project, ctx.projects.Get(me.id, req.params[0]));
                return JsonResponse(bhttp::status::ok, RenderProject(project, ctx.public_url));
              })});
  router.Add({bhttp::verb::patch, "/api/v1/projects/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto input, ReadProject(req));
                GH_ASSIGN_OR_RETURN(auto project, ctx.projects.Update(me.id, req.params[0], input));
                return JsonResponse(bhttp::status::ok, RenderProject(project, ctx.public_url));
              })});
  router.Add({bhttp::verb::delete_, "/api/v1/projects/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_RETURN_IF_ERROR(ctx.projects.Delete(me.id, req.params[0]));
                return NoContent();
              })});
  router.Add(
      {bhttp::verb::post, "/api/v1/projects/{}/environments",
       Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
         GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req, {"name"}));
         GH_ASSIGN_OR_RETURN(auto name, GetString(body, "name"));
         if (!name) return Fail(Error::InvalidRequest("name: is required", "name"));
         GH_ASSIGN_OR_RETURN(auto project, ctx.projects.Get(me.id, req.params[0]));
         GH_ASSIGN_OR_RETURN(auto env, ctx.projects.CreateEnvironment(me.id, req.params[0], *name));
         return JsonResponse(
             bhttp::status::created,
             RenderEnvironment(env, ctx.public_url + "/oauth/" + project.slug + "/" + env.slug));
       })});
  router.Add({bhttp::verb::get, "/api/v1/environments/{}",
              Authed(ctx, [&ctx](Request& req, const domain::Account& me) -> Result<Response> {
                GH_ASSIGN_OR_RETURN(auto env, ctx.projects.GetEnvironment(me.id, req.params[0]));
                GH_ASSIGN_OR_RETURN(auto project, ctx.projects.Get(me.id, env.project_id));
                return JsonResponse(bhttp::status::ok,
                                    RenderEnvironment(env, ctx.public_url + "/oauth/" +
                                                               project.slug + "/" + env.slug));
              })});
}

}  // namespace gatehouse::http::internal

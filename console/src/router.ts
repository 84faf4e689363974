import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { auth } from './app';

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: 'Groups' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'),
    meta: { public: true, title: 'Sign in' } },
  { path: '/groups/:group', name: 'overview', component: () => import('./views/OverviewView.vue'),
    meta: { title: 'Upstreams' } },
  { path: '/groups/:group/registries', name: 'registries', component: () => import('./views/RegistriesView.vue'),
    meta: { title: 'Registries' } },
  { path: '/groups/:group/registries/:registry', name: 'registry',
    component: () => import('./views/RegistryView.vue'), meta: { title: 'Registry' } },
  { path: '/groups/:group/upstreams/new', name: 'upstream-new',
    component: () => import('./views/UpstreamFormView.vue'), meta: { title: 'New upstream' } },
  { path: '/groups/:group/upstreams/:id', name: 'upstream',
    component: () => import('./views/UpstreamFormView.vue'), meta: { title: 'Upstream' } },
  { path: '/groups/:group/cache', name: 'cache', component: () => import('./views/CacheView.vue'),
    meta: { title: 'Cache' } },
  { path: '/groups/:group/statistics', name: 'statistics', component: () => import('./views/StatisticsView.vue'),
    meta: { title: 'Statistics' } },
  { path: '/groups/:group/policies', name: 'policies', component: () => import('./views/PoliciesView.vue'),
    meta: { title: 'Policies' } },
  { path: '/groups/:group/audit', name: 'audit', component: () => import('./views/AuditView.vue'),
    meta: { title: 'Audit log' } },
  { path: '/groups/:group/lifecycle', name: 'lifecycle', component: () => import('./views/LifecycleView.vue'),
    meta: { title: 'Lifecycle policies' } },
  { path: '/groups/:group/webhooks', name: 'webhooks', component: () => import('./views/WebhooksView.vue'),
    meta: { title: 'Webhooks' } },
  { path: '/audit', name: 'instance-audit', component: () => import('./views/AuditView.vue'),
    meta: { title: 'Instance audit log' } },
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'),
    meta: { public: true, title: 'Not found' } },
];

export const router = createRouter({
  history: createWebHistory('/ui/'),
  routes,
});

router.beforeEach((to) => {
  if (!to.meta.public && !auth.username) {
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : '';
  document.title = title ? `${title} · vreg console` : 'vreg console';
});

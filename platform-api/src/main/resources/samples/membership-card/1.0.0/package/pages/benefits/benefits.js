const app = getApp();
Page({
  data: { tiers: [] },
  onLoad() {
    this.setData({ tiers: app.settings.tiers });
  }
});

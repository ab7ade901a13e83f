// Settings come from the merchant's ext config (the platform delivers it with the released version).
App({
  onLaunch() {
    const ext = (my.getExtConfigSync && my.getExtConfigSync()) || {};
    this.settings = Object.assign({ brandName: 'My Brand', brandColor: '#00a870', stores: [] }, ext);
  }
});

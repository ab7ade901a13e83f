const app = getApp();
Page({
  data: { store: {} },
  onLoad(query) {
    this.setData({ store: app.settings.stores[Number(query.index)] || {} });
  },
  call() {
    my.makePhoneCall({ number: this.data.store.phone });
  }
});

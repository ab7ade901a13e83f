const app = getApp();
Page({
  data: { id: '', status: '…' },
  onLoad(query) {
    this.setData({ id: query.id });
    my.request({
      url: app.settings.menuApiBaseUrl + '/orders/' + encodeURIComponent(query.id),
      success: (res) => this.setData({ status: res.data.status })
    });
  }
});

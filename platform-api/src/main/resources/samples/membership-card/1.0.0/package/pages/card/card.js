const app = getApp();
Page({
  data: { programName: '', cardColor: '', tier: '', points: 0, barcodeUrl: '' },
  onLoad() {
    const { programName, cardColor, memberApiBaseUrl } = app.settings;
    this.setData({ programName, cardColor });
    my.getAuthCode({
      scopes: ['auth_base'],
      success: ({ authCode }) => my.request({
        url: memberApiBaseUrl + '/me?authCode=' + encodeURIComponent(authCode),
        success: (res) => this.setData({
          points: res.data.points, barcodeUrl: res.data.barcodeUrl,
          tier: (app.tierOf(res.data.points) || {}).name || ''
        })
      })
    });
  }
});
